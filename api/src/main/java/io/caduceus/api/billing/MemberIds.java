package io.caduceus.api.billing;

import io.caduceus.routing.keys.TenantKeys;

import java.util.Locale;
import java.util.UUID;

/**
 * Insurance member ids: sealed at rest under the holding tenant's key, bound to their row, and found by a blind
 * index (a keyed hash) so an eligibility question or an incoming claim can match a member without the id ever
 * being stored in the clear. Ids are compared as the payer prints them, ignoring case and spaces.
 */
final class MemberIds {

  private static final String INDEX_PURPOSE = "coverage.member_id";

  private MemberIds() {
  }

  /** The form ids are indexed and matched in: upper case, without whitespace. */
  static String normalised(String memberId) {
    return memberId.replaceAll("\\s+", "").toUpperCase(Locale.ROOT);
  }

  /** The blind index of a member id in the tenant that holds the coverage. */
  static byte[] index(TenantKeys keys, String memberId) {
    return keys.blindIndex(INDEX_PURPOSE, normalised(memberId));
  }

  static String coverageBinding(UUID coverageId) {
    return "coverage.member_id/" + coverageId;
  }

  static String claimBinding(UUID claimId) {
    return "claim.member_id/" + claimId;
  }
}
