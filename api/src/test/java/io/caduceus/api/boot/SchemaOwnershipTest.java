package io.caduceus.api.boot;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each module owns its schema: the tables the notifications module creates are reached only through its API, so no
 * SQL written in api names one of them.
 */
class SchemaOwnershipTest {

  private static final Path NOTIFICATIONS_MIGRATIONS = Path.of("..", "notifications", "src", "main", "resources",
      "db", "notifications");
  private static final Path API_SOURCES = Path.of("src", "main", "java");
  private static final Pattern CREATE_TABLE = Pattern.compile("(?i)CREATE TABLE (?:IF NOT EXISTS )?(\\w+)");
  private static final Pattern CONCATENATION = Pattern.compile("\"\\s*\\+\\s*\"");
  private static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");
  private static final Pattern TEXT_BLOCK = Pattern.compile("\"\"\"[ \\t]*\\n(.*?)\"\"\"", Pattern.DOTALL);

  @Test
  void noApiSqlNamesATableOfTheNotificationsModule() throws IOException {
    Set<String> tables = notificationsTables();
    assertThat(tables).contains("message", "message_event", "campaign", "care_rule", "survey", "survey_invitation",
        "survey_answer", "provider_credential");
    Pattern naming = naming(tables);

    List<String> offences = new ArrayList<>();
    try (Stream<Path> files = Files.walk(API_SOURCES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        for (String literal : literals(Files.readString(file))) {
          Matcher m = naming.matcher(literal);
          if (m.find()) {
            offences.add(file + ": " + m.group());
          }
        }
      }
    }
    assertThat(offences).isEmpty();
  }

  @Test
  void theScanFindsATableNamedInATextBlock() {
    Pattern naming = naming(Set.of("care_rule"));
    String source = "static final String S = \"\"\"\n    SELECT r.id\n    FROM care_rule r\n    \"\"\";\n"
        + "static final String T = \"SELECT 1 FROM patient\";";
    List<String> found = literals(source).stream().filter(l -> naming.matcher(l).find()).toList();
    assertThat(found).hasSize(1);
  }

  @Test
  void theScanFindsATableNamedAcrossConcatenatedLiterals() {
    Pattern naming = naming(Set.of("message", "survey_invitation"));
    String source = "static final String S = \"UPDATE campaign SET x = 1; INSERT INTO\"\n      + \" message (id)\";\n"
        + "static final String T = \"SELECT 1 FROM {schema}.survey_invitation i\";\n"
        + "static final String U = \"SELECT 1 FROM secure_message JOIN message_thread t\";";
    List<String> found = literals(source).stream().filter(l -> naming.matcher(l).find()).toList();
    assertThat(found).hasSize(2);
  }

  private static Set<String> notificationsTables() throws IOException {
    Set<String> tables = new TreeSet<>();
    try (Stream<Path> files = Files.list(NOTIFICATIONS_MIGRATIONS)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".sql")).toList()) {
        Matcher m = CREATE_TABLE.matcher(Files.readString(file));
        while (m.find()) {
          tables.add(m.group(1).toLowerCase());
        }
      }
    }
    return tables;
  }

  /** A table named where SQL names one: after FROM, JOIN, INTO, UPDATE or TABLE, with or without a schema. */
  private static Pattern naming(Set<String> tables) {
    return Pattern.compile("(?i)\\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\\s+(?:[\\w{}]+\\.)?(?:"
        + String.join("|", tables) + ")\\b");
  }

  /** The string literals of a Java source: each text block, and each concatenation of literals joined into one. */
  private static List<String> literals(String source) {
    List<String> literals = new ArrayList<>();
    Matcher block = TEXT_BLOCK.matcher(source);
    StringBuilder rest = new StringBuilder();
    while (block.find()) {
      literals.add(block.group(1));
      block.appendReplacement(rest, "");
    }
    block.appendTail(rest);
    Matcher m = LITERAL.matcher(CONCATENATION.matcher(rest).replaceAll(""));
    while (m.find()) {
      literals.add(m.group(1));
    }
    return literals;
  }
}
