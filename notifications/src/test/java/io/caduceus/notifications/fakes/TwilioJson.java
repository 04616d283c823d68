package io.caduceus.notifications.fakes;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The JSON and form shapes of Twilio's Messages API, as the fake Twilio writes them. */
final class TwilioJson {

  private static final DateTimeFormatter RFC_2822 =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);
  /** The format the SDK writes DateSent&gt; in (IRequest.QUERY_STRING_DATE_TIME_FORMAT), in UTC. */
  private static final DateTimeFormatter QUERY_DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int DEFAULT_PAGE_SIZE = 50;

  private TwilioJson() {
  }

  /** A fresh message SID: "SM" and 32 hex digits. */
  static String newSid() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return "SM" + HexFormat.of().formatHex(bytes);
  }

  /** A Message resource as Twilio returns it; date_sent is set at once, as if delivered immediately. */
  static JsonObject message(String accountSid, FakeTwilio.Sent sent) {
    String uri = "/2010-04-01/Accounts/" + accountSid + "/Messages/" + sent.sid();
    String date = RFC_2822.format(sent.receivedAt());
    return new JsonObject()
        .put("account_sid", accountSid).put("api_version", "2010-04-01").put("body", sent.body())
        .put("date_created", date).put("date_sent", date).put("date_updated", date)
        .put("direction", "outbound-api").put("error_code", null).put("error_message", null)
        .put("from", sent.from()).put("messaging_service_sid", sent.messagingServiceSid())
        .put("num_media", "0").put("num_segments", "1").put("price", null).put("price_unit", "USD")
        .put("sid", sent.sid()).put("status", "queued").put("to", sent.to()).put("uri", uri + ".json")
        .put("subresource_uris", new JsonObject().put("media", uri + "/Media.json"));
  }

  /** One page of the account's messages filtered by To, From and DateSent&gt;/&lt;, newest first. */
  static JsonObject page(String accountSid, List<FakeTwilio.Sent> ledger, MultiMap query) {
    int size = query.contains("PageSize") ? Integer.parseInt(query.get("PageSize")) : DEFAULT_PAGE_SIZE;
    int page = query.contains("Page") ? Integer.parseInt(query.get("Page")) : 0;
    List<FakeTwilio.Sent> matching = ledger.stream().filter(sent -> matches(sent, query))
        .sorted((a, b) -> b.receivedAt().compareTo(a.receivedAt())).toList();
    List<FakeTwilio.Sent> slice = matching.stream().skip((long) page * size).limit(size).toList();
    String path = "/2010-04-01/Accounts/" + accountSid + "/Messages.json";
    Map<String, String> filters = new LinkedHashMap<>();
    query.names().stream().filter(name -> !name.equals("Page")).forEach(name -> filters.put(name, query.get(name)));
    boolean more = (long) (page + 1) * size < matching.size();
    return new JsonObject()
        .put("messages", new JsonArray(slice.stream().map(sent -> message(accountSid, sent)).toList()))
        .put("page", page).put("page_size", size).put("start", page * size).put("end", page * size + slice.size() - 1)
        .put("uri", path + "?" + form(with(filters, page)))
        .put("first_page_uri", path + "?" + form(with(filters, 0)))
        .put("next_page_uri", more ? path + "?" + form(with(filters, page + 1)) : null)
        .put("previous_page_uri", page > 0 ? path + "?" + form(with(filters, page - 1)) : null);
  }

  /** Writes a Twilio error body. */
  static void error(HttpServerRequest request, int status, Integer code, String message) {
    reply(request, status, new JsonObject().put("code", code).put("message", message)
        .put("more_info", "https://www.twilio.com/docs/errors/" + code).put("status", status));
  }

  /** Writes a JSON reply unless the client has gone. */
  static void reply(HttpServerRequest request, int status, JsonObject body) {
    if (!request.response().closed()) {
      request.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }
  }

  /** An application/x-www-form-urlencoded body or query string. */
  static String form(Map<String, String> params) {
    return params.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  private static boolean matches(FakeTwilio.Sent sent, MultiMap query) {
    Instant after = instant(query.get("DateSent>"));
    Instant before = instant(query.get("DateSent<"));
    return (query.get("To") == null || query.get("To").equals(sent.to()))
        && (query.get("From") == null || query.get("From").equals(sent.from()))
        && (after == null || !sent.receivedAt().isBefore(after))
        && (before == null || sent.receivedAt().isBefore(before));
  }

  private static Instant instant(String queryDateTime) {
    return queryDateTime == null ? null : LocalDateTime.parse(queryDateTime, QUERY_DATE_TIME).toInstant(ZoneOffset.UTC);
  }

  private static Map<String, String> with(Map<String, String> filters, int page) {
    Map<String, String> params = new LinkedHashMap<>(filters);
    params.put("Page", Integer.toString(page));
    return params;
  }
}
