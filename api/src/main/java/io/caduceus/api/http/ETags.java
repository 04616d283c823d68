package io.caduceus.api.http;

import io.caduceus.api.error.PreconditionFailed;
import io.caduceus.api.error.PreconditionRequired;

/** Strong ETags over a resource's version number, and the parsing of {@code If-Match}. */
public final class ETags {

  private ETags() {
  }

  /** The ETag of a version. */
  public static String of(int version) {
    return "\"" + version + "\"";
  }

  /**
   * The version an {@code If-Match} value names. A missing value fails with 428; a value that is not one of our
   * ETags can match no version and fails with 412.
   */
  public static int required(String ifMatch) {
    if (ifMatch == null || ifMatch.isBlank()) {
      throw new PreconditionRequired("send If-Match with the ETag of the version you are changing");
    }
    Integer version = parse(ifMatch);
    if (version == null) {
      throw new PreconditionFailed("If-Match does not name a current version");
    }
    return version;
  }

  /** The version an optional {@code If-Match} names, or null when absent. */
  public static Integer optional(String ifMatch) {
    return ifMatch == null || ifMatch.isBlank() ? null : required(ifMatch);
  }

  private static Integer parse(String ifMatch) {
    String v = ifMatch.trim();
    if (v.startsWith("W/")) {
      v = v.substring(2);
    }
    if (v.length() < 3 || v.charAt(0) != '"' || v.charAt(v.length() - 1) != '"') {
      return null;
    }
    try {
      return Integer.parseInt(v.substring(1, v.length() - 1));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
