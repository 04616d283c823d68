package io.caduceus.api.patient;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** The filters of a patient search. */
public record PatientSearch(String name, LocalDate birthDate, String mrn, int limit) {

  private static final Pattern SPACES = Pattern.compile("\\s+");

  /** Each word of the name as a LIKE pattern matching the start of a word, with LIKE's wildcards escaped. */
  List<String> namePatterns() {
    List<String> patterns = new ArrayList<>();
    if (name == null) {
      return patterns;
    }
    for (String word : SPACES.split(name.trim().toLowerCase(Locale.ROOT))) {
      if (!word.isEmpty()) {
        patterns.add("% " + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
      }
    }
    return patterns;
  }

  /** The filters as cursor-binding text. */
  String fingerprint() {
    return name + "|" + birthDate + "|" + mrn;
  }
}
