package io.caduceus.notifications.template;

import io.caduceus.notifications.engage.Variable;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Template text with {@code {{variable}}} placeholders: which names it uses, and the text with values filled in.
 * There is no logic in templates, so a tenant's wording cannot reach data it was not handed.
 */
public final class TemplateText {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z][A-Za-z0-9]*)\\s*}}");

  private TemplateText() {
  }

  /** The placeholder names in {@code text}, in order of first use. */
  public static Set<String> names(String text) {
    Set<String> names = new LinkedHashSet<>();
    if (text != null) {
      Matcher m = PLACEHOLDER.matcher(text);
      while (m.find()) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  /** {@code text} with each placeholder replaced by its value, or by nothing when the value is missing. */
  public static String render(String text, Map<Variable, String> values) {
    if (text == null) {
      return null;
    }
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = Variable.byToken(m.group(1)).map(values::get).orElse(null);
      m.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
