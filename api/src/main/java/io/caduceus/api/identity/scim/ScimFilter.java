package io.caduceus.api.identity.scim;

import io.caduceus.api.error.Invalid;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The filters an IdP sends to find a resource before it creates or links it (RFC 7644 §3.4.2.2): one attribute,
 * {@code eq}, one value ({@code userName eq "a@b.org"}, {@code externalId eq "00u1"}, {@code displayName eq "Nurses"}).
 * Anything else answers 400 {@code invalidFilter}; a filter is never turned into SQL text, only into a parameter.
 */
record ScimFilter(String attribute, String value) {

  private static final Pattern EQ = Pattern.compile(
      "^\\s*(?:urn:ietf:params:scim:schemas:core:2\\.0:(?:User|Group):)?([A-Za-z][A-Za-z0-9.]*)\\s+eq\\s+"
          + "(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([A-Za-z0-9._@+-]+))\\s*$", Pattern.CASE_INSENSITIVE);

  /** The filter of a request, with its attribute in lower case; empty when none was sent. */
  static Optional<ScimFilter> parse(String filter, Set<String> supported) {
    if (filter == null || filter.isBlank()) {
      return Optional.empty();
    }
    Matcher m = EQ.matcher(filter);
    if (!m.matches()) {
      throw new Invalid(ScimErrors.FILTER, "only 'attribute eq \"value\"' filters are supported");
    }
    String attribute = m.group(1).toLowerCase(Locale.ROOT);
    if (!supported.contains(attribute)) {
      throw new Invalid(ScimErrors.FILTER, "filtering is supported on " + String.join(", ", supported) + " only");
    }
    String value = m.group(2) != null ? m.group(2).replace("\\\"", "\"").replace("\\\\", "\\") : m.group(3);
    return Optional.of(new ScimFilter(attribute, value));
  }
}
