package io.caduceus.routing.schema;

import java.util.regex.Pattern;

/**
 * Names put into SQL text (roles, databases, schemas, tables, columns), which cannot take bind parameters: only
 * plain lower-case identifiers pass, and they are quoted. The one rule for such names.
 */
public final class SqlIdentifier {

  private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private SqlIdentifier() {
  }

  /** Whether the name is a plain lower-case identifier. */
  public static boolean isPlain(String name) {
    return name != null && PLAIN.matcher(name).matches();
  }

  /** The name, double-quoted, or {@link IllegalArgumentException} if it is not plain. */
  public static String quoted(String name) {
    if (!isPlain(name)) {
      throw new IllegalArgumentException("not a plain SQL identifier: " + name);
    }
    return "\"" + name + "\"";
  }
}
