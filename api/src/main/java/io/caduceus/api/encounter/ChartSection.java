package io.caduceus.api.encounter;

import io.caduceus.api.sql.Listing;

/** The sections of a chart that are searched entry by entry: each with its statements. */
public enum ChartSection {
  VITALS(ChartEntrySql.VITALS),
  DIAGNOSES(ChartEntrySql.DIAGNOSES),
  PROCEDURES(ChartEntrySql.PROCEDURES);

  private final String select;
  private final Listing listing;

  ChartSection(String select) {
    this.select = select;
    this.listing = ChartEntrySql.listing(select);
  }

  /** The entry by id. */
  String find() {
    return select + "\nWHERE x.id = $1";
  }

  /** The keyset listing, newest first. */
  Listing listing() {
    return listing;
  }
}
