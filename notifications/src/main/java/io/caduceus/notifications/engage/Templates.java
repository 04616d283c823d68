package io.caduceus.notifications.engage;

import io.caduceus.notifications.channel.Channel;
import io.caduceus.notifications.template.Template;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A tenant's own templates. Validation (known variables, allowed on the channel) is the caller's. */
public final class Templates {

  private static final String LIST = """
      SELECT topic, channel, locale, subject, body, version
      FROM message_template
      ORDER BY topic, channel, locale""";
  private static final String PUT = """
      INSERT INTO message_template (tenant_id, topic, channel, locale, subject, body)
      VALUES (current_setting('app.tenant_id')::uuid, $1, $2, $3, $4, $5)
      ON CONFLICT (tenant_id, topic, channel, locale) DO UPDATE SET subject = $4, body = $5,
        version = message_template.version + 1, updated_at = now()
      RETURNING topic, channel, locale, subject, body, version""";
  private static final String REMOVE = "DELETE FROM message_template WHERE topic = $1 AND channel = $2 AND locale = $3";

  /** Every template the tenant wrote. */
  public Future<List<Template>> list(SqlConnection conn) {
    return conn.query(LIST).execute().map(rows -> {
      List<Template> all = new ArrayList<>();
      rows.forEach(row -> all.add(fromRow(row)));
      return all;
    });
  }

  /** Stores the tenant's wording; returns it with its new version. */
  public Future<Template> put(SqlConnection conn, Template t) {
    return conn.preparedQuery(PUT).execute(Tuple.from(Arrays.asList(t.topic().wire(), t.channel().wire(), t.locale(),
            t.subject(), t.body())))
        .map(rows -> fromRow(rows.iterator().next()));
  }

  /** Removes the tenant's wording (the shipped one applies again); false if there was none. */
  public Future<Boolean> remove(SqlConnection conn, Topic topic, Channel channel, String locale) {
    return conn.preparedQuery(REMOVE).execute(Tuple.of(topic.wire(), channel.wire(), locale))
        .map(rows -> rows.rowCount() > 0);
  }

  private static Template fromRow(Row row) {
    return new Template(Topic.fromWire(row.getString("topic")).orElseThrow(), Channel.fromWire(row.getString("channel")),
        row.getString("locale"), row.getString("subject"), row.getString("body"), row.getInteger("version"), false);
  }
}
