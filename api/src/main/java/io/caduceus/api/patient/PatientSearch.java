package io.caduceus.api.patient;

import io.caduceus.api.error.Invalid;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The filters of a patient search. {@code /v1} uses the first four; the FHIR facade the rest too: ids and sexes
 * (any of them), a family or given name prefix (the family name's start, the start of a given name), a birth date
 * range, a last-update range (each half-open, null ends open) and MRNs (any of them).
 */
public record PatientSearch(String name, LocalDate birthDate, String mrn, int limit, List<UUID> ids, String family,
                            String given, List<String> sexes, LocalDate bornFrom, LocalDate bornBefore,
                            Instant updatedFrom, Instant updatedBefore, List<String> mrns) {

  private static final Pattern SPACES = Pattern.compile("\\s+");

  /**
   * Refuses a name word made only of U+10FFFF (a noncharacter): no string follows it in code point order, so it has
   * no {@link #wordEnd}.
   */
  public PatientSearch {
    ids = ids == null ? null : List.copyOf(ids);
    sexes = sexes == null ? null : List.copyOf(sexes);
    mrns = mrns == null ? null : List.copyOf(mrns);
    if (words(name).stream().anyMatch(w -> w.codePoints().allMatch(c -> c == Character.MAX_CODE_POINT))) {
      throw new Invalid("name", "has a word made only of U+10FFFF, which cannot be searched");
    }
  }

  /** A search of {@code /v1}: name words, birth date, MRN. */
  public PatientSearch(String name, LocalDate birthDate, String mrn, int limit) {
    this(name, birthDate, mrn, limit, null, null, null, null, null, null, null, null, null);
  }

  /**
   * The words of the name, the family name and the given name, lower-cased: each must start a word of the patient's
   * family or given name (the first is looked up in {@code patient_name_word}).
   */
  List<String> words() {
    List<String> all = new ArrayList<>(words(name));
    all.addAll(words(family));
    all.addAll(words(given));
    return all;
  }

  /** A LIKE pattern for a family name starting with {@code family}, LIKE's wildcards escaped. */
  String familyPattern() {
    return escape(family.trim().toLowerCase(Locale.ROOT)) + "%";
  }

  /** A LIKE pattern for {@code ' ' || given_name} with a given name starting with {@code given}. */
  String givenPattern() {
    return "% " + escape(given.trim().toLowerCase(Locale.ROOT)) + "%";
  }

  /**
   * The least string above every string that starts with {@code word}, in code point order (a {@code COLLATE "C"}
   * column's order): the words starting with {@code word} are those in [{@code word}, this).
   */
  static String wordEnd(String word) {
    int last = word.codePointBefore(word.length());
    String head = word.substring(0, word.length() - Character.charCount(last));
    if (last == Character.MAX_CODE_POINT) {
      return wordEnd(head);
    }
    // The surrogate range holds no characters: the one after U+D7FF is U+E000.
    int next = last == Character.MIN_SURROGATE - 1 ? Character.MAX_SURROGATE + 1 : last + 1;
    return head + Character.toString(next);
  }

  /** A LIKE pattern matching {@code word} at the start of a word of {@code search_text}, LIKE's wildcards escaped. */
  static String wordStartPattern(String word) {
    return "% " + escape(word) + "%";
  }

  private static String escape(String text) {
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  /** The filters as cursor-binding text. */
  String fingerprint() {
    String v1 = name + "|" + birthDate + "|" + mrn;
    if (ids == null && family == null && given == null && sexes == null && bornFrom == null && bornBefore == null
        && updatedFrom == null && updatedBefore == null) {
      return v1;
    }
    return v1 + "|" + ids + "|" + family + "|" + given + "|" + sexes + "|" + bornFrom + "|" + bornBefore + "|"
        + updatedFrom + "|" + updatedBefore;
  }

  private static List<String> words(String name) {
    List<String> words = new ArrayList<>();
    if (name != null) {
      for (String word : SPACES.split(name.trim().toLowerCase(Locale.ROOT))) {
        if (!word.isEmpty()) {
          words.add(word);
        }
      }
    }
    return words;
  }
}
