package io.caduceus.api.http;

import io.caduceus.api.error.PreconditionFailed;
import io.caduceus.api.error.PreconditionRequired;

/** Strong ETags over a resource's version number, and the parsing of {@code If-Match} and {@code If-None-Match}. */
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

  /**
   * Whether an {@code If-None-Match} value names the ETag (RFC 9110 §13.1.2: weak comparison, {@code *} matches
   * any current representation). A missing header matches nothing.
   */
  public static boolean matchesAny(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
      return false;
    }
    String opaque = opaque(etag);
    for (String candidate : ifNoneMatch.split(",")) {
      String tag = candidate.trim();
      if (tag.equals("*") || opaque(tag).equals(opaque)) {
        return true;
      }
    }
    return false;
  }

  private static String opaque(String tag) {
    return tag.startsWith("W/") ? tag.substring(2) : tag;
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
