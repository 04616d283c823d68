package io.caduceus.api.fhir;

import io.caduceus.api.error.Invalid;
import io.vertx.core.MultiMap;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A FHIR search as the client sent it: each parameter (its name with any {@code :modifier}) and its values, and the
 * result parameters ({@code _count}, {@code _sort}, {@code _include}, {@code _revinclude}, {@code _summary}) read once.
 * A parameter the resource type does not support answers 400 naming it (FHIR's "strict" handling): a filter silently
 * dropped would return more than the client asked for. {@code _format} and {@code _pretty} are accepted and ignored.
 *
 * @param params  the search parameters, by name as sent (with modifier), in order
 * @param count   the page size ({@code _count}, 1-{@link #MAX_COUNT}, default {@link #DEFAULT_COUNT})
 * @param cursor  the facade's own paging cursor ({@code _cursor}), from a {@code next} link, or null
 * @param summaryCount whether only the total is asked for ({@code _summary=count})
 */
public record FhirQuery(Map<String, List<String>> params, int count, String cursor, boolean summaryCount,
                        List<String> include, List<String> revinclude, List<String> sort) {

  public static final int DEFAULT_COUNT = 20;
  public static final int MAX_COUNT = 100;
  /** The result parameters every search accepts, besides the type's own. */
  static final Set<String> RESULT = Set.of("_count", "_cursor", "_summary", "_include", "_revinclude", "_sort",
      "_format", "_pretty", "_total");

  public FhirQuery {
    params = Map.copyOf(params);
    include = List.copyOf(include);
    revinclude = List.copyOf(revinclude);
    sort = List.copyOf(sort);
  }

  /** Reads a query string; {@code supported} are the type's parameter names (without modifiers). */
  public static FhirQuery of(MultiMap query, Set<String> supported) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    for (String name : query.names()) {
      String base = name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
      if (RESULT.contains(base)) {
        continue;
      }
      if (!supported.contains(base)) {
        throw new Invalid(name, "is not a search parameter this server supports for this resource type");
      }
      params.put(name, List.copyOf(query.getAll(name)));
    }
    int count = DEFAULT_COUNT;
    String countText = query.get("_count");
    if (countText != null) {
      try {
        count = Integer.parseInt(countText);
      } catch (NumberFormatException e) {
        throw new Invalid("_count", "is not a whole number");
      }
      if (count < 0) {
        throw new Invalid("_count", "must not be negative");
      }
      count = Math.min(count, MAX_COUNT);
    }
    String summary = query.get("_summary");
    if (summary != null && !summary.equals("count") && !summary.equals("false")) {
      throw new Invalid("_summary", "only count and false are supported");
    }
    return new FhirQuery(params, count, query.get("_cursor"), "count".equals(summary) || count == 0,
        split(query.getAll("_include")), split(query.getAll("_revinclude")), split(query.getAll("_sort")));
  }

  /**
   * Whether a query asks for the Bundle's total ({@code _total=accurate}, or {@code estimate}, which the exact count
   * answers too); {@code none} (and no {@code _total}) asks for none.
   */
  public static boolean totalWanted(MultiMap query) {
    List<String> values = query.getAll("_total");
    if (values.isEmpty()) {
      return false;
    }
    if (values.size() > 1 || !Set.of("none", "estimate", "accurate").contains(values.get(0))) {
      throw new Invalid("_total", "is none, estimate or accurate, once");
    }
    return !values.get(0).equals("none");
  }

  /** The same search asking only for its total ({@code _summary=count}). */
  public FhirQuery counting() {
    return new FhirQuery(params, count, null, true, List.of(), List.of(), List.of());
  }

  private static List<String> split(List<String> values) {
    List<String> out = new ArrayList<>();
    for (String v : values) {
      for (String part : v.split(",")) {
        if (!part.isBlank()) {
          out.add(part.trim());
        }
      }
    }
    return out;
  }

  /** The first value of a parameter (by its exact name, modifier included), if given. */
  public Optional<String> first(String name) {
    List<String> values = params.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** Every value of a parameter (by its exact name, modifier included); repeated parameters are ANDed. */
  public List<String> all(String name) {
    return params.getOrDefault(name, List.of());
  }

  /** Refuses every parameter sent with a modifier ({@code name:exact}) but those in {@code allowed}. */
  public void modifiersOnly(Set<String> allowed) {
    for (String name : params.keySet()) {
      if (name.contains(":") && !allowed.contains(name)) {
        throw new Invalid(name, "this modifier is not supported here");
      }
    }
  }

  /**
   * The values of a parameter that may be sent once, with several values separated by commas (FHIR's OR); empty if
   * absent. Sent twice (an AND of ORs) answers 400.
   */
  public List<String> anyOf(String name) {
    List<String> values = all(name);
    if (values.isEmpty()) {
      return List.of();
    }
    if (values.size() > 1) {
      throw new Invalid(name, "may be sent once (separate several values with commas)");
    }
    List<String> out = new ArrayList<>();
    for (String part : values.get(0).split(",")) {
      if (!part.isBlank()) {
        out.add(part.trim());
      }
    }
    if (out.isEmpty()) {
      throw new Invalid(name, "has no value");
    }
    return out;
  }

  /** The single value of a parameter that takes one (no commas, sent once), if given. */
  public Optional<String> one(String name) {
    List<String> values = all(name);
    if (values.isEmpty()) {
      return Optional.empty();
    }
    if (values.size() > 1 || values.get(0).contains(",")) {
      throw new Invalid(name, "takes one value here");
    }
    if (values.get(0).isBlank()) {
      throw new Invalid(name, "has no value");
    }
    return Optional.of(values.get(0));
  }

  /** A {@code date} parameter's values ANDed into one range (each value one range, no commas), if given. */
  public Optional<DateRange> dateRange(String name) {
    DateRange range = null;
    for (String value : all(name)) {
      if (value.contains(",")) {
        throw new Invalid(name, "takes one date per parameter (repeat the parameter to give a range)");
      }
      DateRange one = date(name, value);
      range = range == null ? one : range.and(one);
    }
    return Optional.ofNullable(range);
  }

  /** Whether any parameter but the result parameters was given. */
  public boolean filtered() {
    return !params.isEmpty();
  }

  /**
   * A {@code date} parameter's value as a half-open instant range [from, to) per FHIR's prefixes
   * ({@code eq} (default), {@code lt}, {@code le}, {@code gt}, {@code ge}, {@code sa}, {@code eb}); a value's
   * precision (year, month, day, instant) is the range it stands for. {@code ne} and {@code ap} answer 400.
   */
  public static DateRange date(String parameter, String value) {
    String prefix = value.length() > 2 && Character.isLetter(value.charAt(0)) ? value.substring(0, 2) : "eq";
    String text = prefix.equals("eq") && !value.startsWith("eq") ? value : value.substring(2);
    OffsetDateTime start;
    OffsetDateTime end;
    try {
      if (text.length() == 4) {
        start = LocalDate.of(Integer.parseInt(text), 1, 1).atStartOfDay().atOffset(ZoneOffset.UTC);
        end = start.plusYears(1);
      } else if (text.length() == 7) {
        start = LocalDate.parse(text + "-01").atStartOfDay().atOffset(ZoneOffset.UTC);
        end = start.plusMonths(1);
      } else if (text.length() == 10) {
        start = LocalDate.parse(text).atStartOfDay().atOffset(ZoneOffset.UTC);
        end = start.plusDays(1);
      } else {
        start = OffsetDateTime.parse(text);
        end = start.plusNanos(1000);
      }
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new Invalid(parameter, "is not a FHIR date, dateTime or instant, optionally after a prefix");
    }
    return switch (prefix.toLowerCase(Locale.ROOT)) {
      case "eq" -> new DateRange(start, end);
      case "lt", "eb" -> new DateRange(null, start);
      case "le" -> new DateRange(null, end);
      case "gt", "sa" -> new DateRange(end, null);
      case "ge" -> new DateRange(start, null);
      default -> throw new Invalid(parameter, "supports the prefixes eq, lt, le, gt, ge, sa and eb");
    };
  }

  /** A half-open range of instants; a null end is open. */
  public record DateRange(OffsetDateTime from, OffsetDateTime to) {

    /** The intersection with another range (repeated date parameters are ANDed). */
    public DateRange and(DateRange other) {
      OffsetDateTime f = from == null ? other.from : other.from == null || from.isAfter(other.from) ? from : other.from;
      OffsetDateTime t = to == null ? other.to : other.to == null || to.isBefore(other.to) ? to : other.to;
      return new DateRange(f, t);
    }
  }

  /** A {@code token} parameter's value: {@code [system]|[code]}, {@code code} or {@code system|}. */
  public record Token(String system, String code) {

    public static Token of(String value) {
      int bar = value.indexOf('|');
      if (bar < 0) {
        return new Token(null, value);
      }
      String system = value.substring(0, bar);
      String code = value.substring(bar + 1);
      return new Token(system, code.isEmpty() ? null : code);
    }
  }

  /**
   * A {@code reference} parameter's value as the id it names: {@code 123}, {@code Patient/123} or an absolute URL
   * ending in {@code Patient/123}; empty when it names another resource type.
   */
  public static Optional<String> referenceId(String value, String type) {
    String v = value;
    int slash = v.lastIndexOf('/');
    if (slash < 0) {
      return Optional.of(v);
    }
    String before = v.substring(0, slash);
    String t = before.substring(before.lastIndexOf('/') + 1);
    return t.equals(type) ? Optional.of(v.substring(slash + 1)) : Optional.empty();
  }
}
