package io.caduceus.api.patient;

import io.caduceus.api.paging.VersionRange;
import io.caduceus.api.patient.PatientSql.SearchFilter;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Patient rows. Every method runs on a connection {@code TenantDb} opened for the caller's tenant. */
final class PatientRepository {

  Future<Patient> insert(SqlConnection conn, TenantContext ctx, UUID id, PatientValues v) {
    return conn.preparedQuery(PatientSql.INSERT).execute(Tuple.from(new Object[] {ctx.tenantId().value(), id,
            v.mrn(), v.familyName(), v.givenName(), v.birthDate(), v.sex(), v.preferredLanguage(), v.contact(),
            v.insurance(), buffer(v.memberIdSealed()), buffer(v.nationalIdSealed()), v.clinical(), ctx.userId()}))
        .map(rows -> Patient.fromRow(rows.iterator().next()));
  }

  Future<Optional<Patient>> find(SqlConnection conn, UUID id) {
    return conn.preparedQuery(PatientSql.FIND).execute(Tuple.of(id)).map(PatientRepository::first);
  }

  /** The live patient holding the allergy of this id ({@link PatientSql#ALLERGY_OWNER}), if any. */
  Future<Optional<UUID>> allergyOwner(SqlConnection conn, UUID allergyId) {
    return conn.preparedQuery(PatientSql.ALLERGY_OWNER).execute(Tuple.of(allergyId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getUUID("id")));
  }

  Future<Optional<Patient>> findForUpdate(SqlConnection conn, UUID id) {
    return conn.preparedQuery(PatientSql.FIND_FOR_UPDATE).execute(Tuple.of(id)).map(PatientRepository::first);
  }

  /** Writes new values if the row is still at {@code version}; empty otherwise. */
  Future<Optional<Patient>> update(SqlConnection conn, TenantContext ctx, UUID id, int version, PatientValues v) {
    return conn.preparedQuery(PatientSql.UPDATE).execute(Tuple.from(new Object[] {id, version, v.mrn(),
            v.familyName(), v.givenName(), v.birthDate(), v.sex(), v.preferredLanguage(), v.contact(), v.insurance(),
            buffer(v.memberIdSealed()), buffer(v.nationalIdSealed()), v.clinical(), ctx.userId()}))
        .map(PatientRepository::first);
  }

  Future<Boolean> delete(SqlConnection conn, TenantContext ctx, UUID id) {
    return conn.preparedQuery(PatientSql.DELETE).execute(Tuple.of(id, ctx.userId())).map(rows -> rows.rowCount() == 1);
  }

  /** One page of a search: only the filters present go into the statement (see {@link PatientSql#search}). */
  Future<List<Patient>> search(SqlConnection conn, PatientSearch q, String afterFamily, UUID afterId, int limit) {
    Map<SearchFilter, List<Object>> filters = filters(q);
    if (afterFamily != null) {
      filters.put(SearchFilter.AFTER, List.of(afterFamily, afterId));
    }
    Tuple args = Tuple.tuple();
    filters.values().forEach(values -> values.forEach(args::addValue));
    return conn.preparedQuery(PatientSql.search(filters.keySet())).execute(args.addInteger(limit)).map(rows -> {
      List<Patient> out = new ArrayList<>();
      rows.forEach(row -> out.add(Patient.fromRow(row)));
      return out;
    });
  }

  /** How many live patients match the search. */
  Future<Integer> count(SqlConnection conn, PatientSearch q) {
    Map<SearchFilter, List<Object>> filters = filters(q);
    Tuple args = Tuple.tuple();
    filters.values().forEach(values -> values.forEach(args::addValue));
    return conn.preparedQuery(PatientSql.count(filters.keySet())).execute(args)
        .map(rows -> rows.iterator().next().getLong("total").intValue());
  }

  private static Map<SearchFilter, List<Object>> filters(PatientSearch q) {
    Map<SearchFilter, List<Object>> filters = new EnumMap<>(SearchFilter.class);
    List<String> words = q.words();
    if (!words.isEmpty()) {
      filters.put(SearchFilter.NAME, List.of(words.get(0), PatientSearch.wordEnd(words.get(0))));
    }
    if (words.size() > 1) {
      Object furtherWords = words.subList(1, words.size()).stream().map(PatientSearch::wordStartPattern)
          .toArray(String[]::new);
      filters.put(SearchFilter.MORE_NAME_WORDS, List.of(furtherWords));
    }
    if (q.birthDate() != null) {
      filters.put(SearchFilter.BIRTH_DATE, List.of(q.birthDate()));
    }
    if (q.mrn() != null) {
      filters.put(SearchFilter.MRN, List.of(q.mrn()));
    }
    if (q.mrns() != null) {
      filters.put(SearchFilter.MRNS, List.of((Object) q.mrns().toArray(String[]::new)));
    }
    if (q.ids() != null) {
      filters.put(SearchFilter.IDS, List.of((Object) q.ids().toArray(UUID[]::new)));
    }
    if (q.family() != null) {
      filters.put(SearchFilter.FAMILY, List.of(q.familyPattern()));
    }
    if (q.given() != null) {
      filters.put(SearchFilter.GIVEN, List.of(q.givenPattern()));
    }
    if (q.sexes() != null) {
      filters.put(SearchFilter.SEXES, List.of((Object) q.sexes().toArray(String[]::new)));
    }
    if (q.bornFrom() != null) {
      filters.put(SearchFilter.BORN_FROM, List.of(q.bornFrom()));
    }
    if (q.bornBefore() != null) {
      filters.put(SearchFilter.BORN_BEFORE, List.of(q.bornBefore()));
    }
    if (q.updatedFrom() != null) {
      filters.put(SearchFilter.UPDATED_FROM, List.of(q.updatedFrom().atOffset(ZoneOffset.UTC)));
    }
    if (q.updatedBefore() != null) {
      filters.put(SearchFilter.UPDATED_BEFORE, List.of(q.updatedBefore().atOffset(ZoneOffset.UTC)));
    }
    return filters;
  }

  /** A live patient's versions in the range, newest first ({@link PatientSql#VERSIONS}). */
  Future<List<Patient>> versions(SqlConnection conn, UUID id, VersionRange range) {
    return conn.preparedQuery(PatientSql.VERSIONS).execute(Tuple.of(id, range.below(),
            range.since() == null ? null : range.since().atOffset(ZoneOffset.UTC), range.limit()))
        .map(rows -> {
          List<Patient> out = new ArrayList<>();
          rows.forEach(row -> out.add(Patient.fromRow(row)));
          return out;
        });
  }

  /** The current version of a live patient, if it exists in this tenant. */
  Future<Optional<Integer>> version(SqlConnection conn, UUID id) {
    return conn.preparedQuery(PatientSql.EXISTS).execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getInteger("version")));
  }

  private static Optional<Patient> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(Patient.fromRow(rows.iterator().next()));
  }

  private static Buffer buffer(byte[] bytes) {
    return bytes == null ? null : Buffer.buffer(bytes);
  }
}
