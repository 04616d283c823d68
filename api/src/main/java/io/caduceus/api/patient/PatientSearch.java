package io.caduceus.api.patient;

import io.caduceus.api.error.Invalid;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** The filters of a patient search. */
public record PatientSearch(String name, LocalDate birthDate, String mrn, int limit) {

  private static final Pattern SPACES = Pattern.compile("\\s+");

  /**
   * Refuses a name word made only of U+10FFFF (a noncharacter): no string follows it in code point order, so it has
   * no {@link #wordEnd}.
   */
  public PatientSearch {
    if (words(name).stream().anyMatch(w -> w.codePoints().allMatch(c -> c == Character.MAX_CODE_POINT))) {
      throw new Invalid("name", "has a word made only of U+10FFFF, which cannot be searched");
    }
  }

  /** The words of the name, lower-cased: each must start a word of the patient's family or given name. */
  List<String> words() {
    return words(name);
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
    return "% " + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
  }

  /** The filters as cursor-binding text. */
  String fingerprint() {
    return name + "|" + birthDate + "|" + mrn;
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
