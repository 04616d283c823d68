package io.caduceus.api.smart;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SMART resource scope: its context ({@code patient}, {@code user}, {@code system}), the FHIR type it names
 * ({@code *} for every type), and whether it grants reading and writing. Reads SMART v1 ({@code patient/*.read},
 * {@code user/Observation.write}, {@code system/*.*}) and v2 ({@code patient/Observation.rs}, {@code .cruds}); a v2
 * scope narrowed by a query ({@code ?category=...}) is not supported and grants nothing.
 */
public record SmartScope(String context, String type, boolean read, boolean write) {

  private static final Pattern FORM = Pattern.compile("(patient|user|system)/(\\*|[A-Z][A-Za-z]{1,63})\\.([a-z*]+)");
  private static final Pattern V2 = Pattern.compile("c?r?u?d?s?");

  /** The resource scope a token names, if the text is one this server honours. */
  public static Optional<SmartScope> parse(String text) {
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    String access = m.group(3);
    boolean read;
    boolean write;
    switch (access) {
      case "read" -> { read = true; write = false; }
      case "write" -> { read = false; write = true; }
      case "*" -> { read = true; write = true; }
      default -> {
        if (access.isEmpty() || !V2.matcher(access).matches()) {
          return Optional.empty();
        }
        read = access.contains("r") || access.contains("s");
        write = access.contains("c") || access.contains("u") || access.contains("d");
      }
    }
    return Optional.of(new SmartScope(m.group(1), m.group(2), read, write));
  }

  /** The resource scopes in a space-separated scope string; other scopes ({@code openid}, {@code launch}) are skipped. */
  public static List<SmartScope> all(String scopes) {
    List<SmartScope> found = new ArrayList<>();
    for (String s : scopes.trim().split("\\s+")) {
      parse(s).ifPresent(found::add);
    }
    return found;
  }

  /** Whether this scope grants everything {@code other} grants (same context, a type it covers, no more access). */
  public boolean covers(SmartScope other) {
    return context.equals(other.context) && ("*".equals(type) || type.equals(other.type))
        && (read || !other.read) && (write || !other.write);
  }
}
