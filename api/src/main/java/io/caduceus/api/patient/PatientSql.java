package io.caduceus.api.patient;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The patient repository's SQL, in one place. Every statement runs under the tenant's row-level security. */
final class PatientSql {

  static final String COLUMNS = """
      id, mrn, family_name, given_name, birth_date, sex, preferred_language, contact, insurance,
      insurance_member_id_sealed, national_id_sealed, clinical, version, created_at, updated_at""";

  static final String INSERT = """
      INSERT INTO patient (tenant_id, id, mrn, family_name, given_name, birth_date, sex, preferred_language,
        contact, insurance, insurance_member_id_sealed, national_id_sealed, clinical, created_by, updated_by)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)
      RETURNING %s""".formatted(COLUMNS);

  static final String FIND = "SELECT " + COLUMNS + " FROM patient WHERE id = $1 AND deleted_at IS NULL";

  static final String FIND_FOR_UPDATE = FIND + " FOR UPDATE";

  static final String UPDATE = """
      UPDATE patient
      SET mrn = $3, family_name = $4, given_name = $5, birth_date = $6, sex = $7, preferred_language = $8,
        contact = $9, insurance = $10, insurance_member_id_sealed = $11, national_id_sealed = $12,
        clinical = $13, updated_by = $14, updated_at = now(), version = version + 1
      WHERE id = $1 AND version = $2 AND deleted_at IS NULL
      RETURNING %s""".formatted(COLUMNS);

  static final String DELETE = """
      UPDATE patient
      SET deleted_at = now(), updated_at = now(), updated_by = $2, version = version + 1
      WHERE id = $1 AND deleted_at IS NULL""";

  /**
   * A search page without a name: the ids of the first matches in the keyset order (lower(family_name), id), then
   * their rows. The inner query walks {@code patient_by_family} in key order, reading the names from the index alone
   * (it includes family_name and search_text), and stops at the page's end; only the page's rows are read from the
   * table.
   */
  private static final String SEARCH = """
      SELECT %s FROM patient
      WHERE deleted_at IS NULL AND id IN (
        SELECT id FROM patient
        WHERE deleted_at IS NULL%s
        ORDER BY lower(family_name), id
        LIMIT $%d)
      ORDER BY lower(family_name), id""";

  /**
   * A search page with a name: only the patients with a word in the first word's key range of
   * {@code patient_name_word} are read, and the other filters and the order apply to them alone. Under row-level
   * security LIKE and lower() are not leakproof, so they cannot choose rows through an index ahead of the tenant
   * policy; the range comparisons of the plain {@code word} column are, so they do (migration V14), and a search
   * reads about as many rows as it matches, not the tenant's every patient.
   */
  private static final String SEARCH_BY_WORD = """
      SELECT %s FROM patient
      WHERE deleted_at IS NULL%s
      ORDER BY lower(family_name), id
      LIMIT $%d""";

  /** The filters a search may have, each with its parameters written {@code $}; a statement has them in this order. */
  enum SearchFilter {
    /**
     * The first word must start a word of the family or given name: it is looked up by its key range [word, end)
     * (see {@link PatientSearch#wordEnd}), bounds a generic plan can take to the index as well as a custom one.
     */
    NAME("id IN (SELECT patient_id FROM patient_name_word WHERE word >= $ AND word < $)"),
    /**
     * Every further word too, matched in {@code search_text} (each word there follows a space) on the first word's
     * patients only.
     */
    MORE_NAME_WORDS("search_text LIKE ALL ($::text[])"),
    BIRTH_DATE("birth_date = $"),
    MRN("mrn = $"),
    /** FHIR {@code identifier}: any of these MRNs. */
    MRNS("mrn = ANY ($::text[])"),
    /** FHIR: any of these ids. */
    IDS("id = ANY ($::uuid[])"),
    /** FHIR {@code family}: the family name starts with the value (its words are name words too). */
    FAMILY("lower(family_name) LIKE $"),
    /** FHIR {@code given}: a given name starts with the value (its words are name words too). */
    GIVEN("' ' || lower(given_name) LIKE $"),
    /** FHIR {@code gender}: any of these. */
    SEXES("sex = ANY ($::text[])"),
    BORN_FROM("birth_date >= $"),
    BORN_BEFORE("birth_date < $"),
    UPDATED_FROM("updated_at >= $"),
    UPDATED_BEFORE("updated_at < $"),
    /** The keyset cursor: after the last row of the previous page. */
    AFTER("(lower(family_name), id) > ($::text, $::uuid)");

    private final String condition;

    SearchFilter(String condition) {
      this.condition = condition;
    }
  }

  /** How many live patients match (FHIR's {@code _summary=count}); the cursor filter never applies. */
  private static final String COUNT = """
      SELECT count(*) AS total FROM patient
      WHERE deleted_at IS NULL%s""";

  private static final Map<Set<SearchFilter>, String> SEARCHES = new ConcurrentHashMap<>();
  private static final Map<Set<SearchFilter>, String> COUNTS = new ConcurrentHashMap<>();

  /**
   * The search statement with these filters, binding their values in {@link SearchFilter} order, then the limit.
   * Each shape of filters is its own statement, so its plan, custom or generic, has no "{@code $n IS NULL OR}"
   * branches and keeps the indexes of the filters present (name words, MRN, birth date).
   */
  static String search(Set<SearchFilter> filters) {
    return SEARCHES.computeIfAbsent(EnumSet.copyOf(filters.isEmpty() ? EnumSet.noneOf(SearchFilter.class) : filters),
        PatientSql::searchOf);
  }

  /** The count statement with these filters, binding their values in {@link SearchFilter} order. */
  static String count(Set<SearchFilter> filters) {
    return COUNTS.computeIfAbsent(EnumSet.copyOf(filters.isEmpty() ? EnumSet.noneOf(SearchFilter.class) : filters),
        f -> COUNT.formatted(where(f)));
  }

  /**
   * A live patient's versions, newest first: the row's own (the current version), then the earlier ones V27's trigger
   * copied into patient_version, read back as patient rows; below $2, written at or after $3 (null: any), at most $4.
   */
  static final String VERSIONS = """
      SELECT %1$s FROM (
        SELECT %1$s FROM patient WHERE id = $1 AND deleted_at IS NULL
        UNION ALL
        SELECT %1$s FROM (SELECT (jsonb_populate_record(NULL::patient, v.snapshot)).* FROM patient_version v
          WHERE v.patient_id = $1 AND v.version < $2
            AND EXISTS (SELECT 1 FROM patient l WHERE l.id = $1 AND l.deleted_at IS NULL)) p
      ) x
      WHERE version < $2 AND ($3::timestamptz IS NULL OR updated_at >= $3)
      ORDER BY version DESC
      LIMIT $4""".formatted(COLUMNS);

  static final String EXISTS = "SELECT version FROM patient WHERE id = $1 AND deleted_at IS NULL";

  /**
   * The live patient one of whose allergies has the given id: the MD5 of {@code <patient id>|<allergy>} read as a
   * UUID (how the FHIR facade names an allergy, which has no row of its own). It reads every live patient's
   * allergies in the tenant: an allergy read is rare, and a patient's allergies are at most a hundred.
   */
  static final String ALLERGY_OWNER = """
      SELECT p.id
      FROM patient p
      CROSS JOIN LATERAL jsonb_array_elements_text(coalesce(p.clinical -> 'allergies', '[]'::jsonb)) AS a(substance)
      WHERE p.deleted_at IS NULL AND md5(p.id::text || '|' || a.substance)::uuid = $1
      LIMIT 1""";

  private PatientSql() {
  }

  /**
   * A shape's statement, written once at its first use (there are too many shapes to write them all ahead): the
   * conditions present, their parameters numbered in order.
   */
  private static String searchOf(Set<SearchFilter> filters) {
    String where = where(filters);
    int params = (int) where.chars().filter(c -> c == '$').count();
    String statement = filters.contains(SearchFilter.NAME) ? SEARCH_BY_WORD : SEARCH;
    return statement.formatted(COLUMNS, where, params + 1);
  }

  private static String where(Set<SearchFilter> filters) {
    StringBuilder where = new StringBuilder();
    int param = 0;
    for (SearchFilter filter : SearchFilter.values()) {
      if (filters.contains(filter)) {
        where.append(" AND ");
        for (char c : filter.condition.toCharArray()) {
          where.append(c);
          if (c == '$') {
            where.append(++param);
          }
        }
      }
    }
    return where.toString();
  }
}
