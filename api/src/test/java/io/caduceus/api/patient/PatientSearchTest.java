package io.caduceus.api.patient;

import io.caduceus.api.error.Invalid;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The key range of a name word: every string that starts with the word lies in [word, end) in code point order, and
 * nothing else does.
 */
class PatientSearchTest {

  private static final String MAX = Character.toString(Character.MAX_CODE_POINT);

  @Test
  void theEndFollowsTheLastCharacter() {
    assertThat(PatientSearch.wordEnd("smi")).isEqualTo("smj");
    assertThat(PatientSearch.wordEnd("d_l")).isEqualTo("d_m");
    assertThat(PatientSearch.wordEnd("zoë")).isEqualTo("zoì");
  }

  @Test
  void theEndOfASupplementaryCharacterIsTheNextCodePoint() {
    assertThat(PatientSearch.wordEnd("a\uD83D\uDE00")).isEqualTo("a\uD83D\uDE01");
  }

  @Test
  void theEndSkipsTheSurrogateRange() {
    assertThat(PatientSearch.wordEnd("a\uD7FF")).isEqualTo("a\uE000");
  }

  @Test
  void aLastCharacterWithNoSuccessorMovesTheEndToTheOneBefore() {
    assertThat(PatientSearch.wordEnd("ab" + MAX + MAX)).isEqualTo("ac");
  }

  @Test
  void aWordMadeOnlyOfTheLastCodePointIsRefused() {
    assertThatThrownBy(() -> new PatientSearch("smith " + MAX, null, null, 20)).isInstanceOf(Invalid.class);
    assertThat(new PatientSearch("smith a" + MAX, null, null, 20).words()).containsExactly("smith", "a" + MAX);
  }

  @Test
  void wordsAreLowerCasedAndSplitOnWhitespace() {
    assertThat(new PatientSearch("  Maria\tDEL  ", null, null, 20).words()).containsExactly("maria", "del");
    assertThat(new PatientSearch(null, null, null, 20).words()).isEmpty();
    assertThat(PatientSearch.wordStartPattern("d_l%")).isEqualTo("% d\\_l\\%%");
  }
}
