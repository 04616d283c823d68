package io.caduceus.api.codes;

import io.caduceus.api.error.Invalid;

/**
 * LOINC codes: digits, a hyphen and a check digit computed with the mod-10 (Luhn) algorithm over the digits
 * before it, so a mistyped code is refused instead of ordered.
 */
public final class Loinc {

  private Loinc() {
  }

  /** Whether {@code code} is a well-formed LOINC code with a correct check digit. */
  public static boolean valid(String code) {
    if (code == null || !code.matches("[0-9]{1,7}-[0-9]")) {
      return false;
    }
    String digits = code.substring(0, code.indexOf('-'));
    int sum = 0;
    boolean doubled = true;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (doubled) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      doubled = !doubled;
    }
    return (10 - sum % 10) % 10 == code.charAt(code.length() - 1) - '0';
  }

  /** Fails with {@link Invalid} at {@code pointer} unless {@code code} is a valid LOINC code. */
  public static String require(String code, String pointer) {
    if (!valid(code)) {
      throw new Invalid(pointer, "not a LOINC code (its check digit does not match)");
    }
    return code;
  }
}
