package io.caduceus.api.smart;

import java.util.Map;
import java.util.Optional;

/** What a requested scope lets an app do, in words the portal shows the user before they decide. */
final class SmartScopeWords {

  private static final Map<String, String> OTHERS = Map.of(
      "openid", "Know who you are",
      "fhirUser", "Know who you are (your patient or practitioner record)",
      "offline_access", "Keep its access after you sign out, until you revoke it",
      "online_access", "Keep its access while you stay signed in",
      "launch", "Open with the record the EHR has in context",
      "launch/patient", "Ask which patient's record to use");

  private SmartScopeWords() {
  }

  /** The scope in words. */
  static String of(String scope) {
    String other = OTHERS.get(scope);
    if (other != null) {
      return other;
    }
    Optional<SmartScope> parsed = SmartScope.parse(scope);
    if (parsed.isEmpty()) {
      return scope;
    }
    SmartScope s = parsed.get();
    String access = s.read() && s.write() ? "Read and change" : s.write() ? "Change" : "Read";
    String what = "*".equals(s.type()) ? "all records" : s.type() + " records";
    String whose = switch (s.context()) {
      case "patient" -> " of the patient";
      case "user" -> " you may see";
      default -> "";
    };
    return access + " " + what + whose;
  }
}
