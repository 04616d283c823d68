package io.caduceus.api.boot;

import io.caduceus.api.http.Operations;
import io.caduceus.api.tiers.ArchiveJobs;
import io.caduceus.api.tiers.PlaceUpgrades;
import io.caduceus.api.tiers.TenantExports;
import io.caduceus.api.tiers.TenantImports;
import io.caduceus.api.tiers.TenantOffboarding;
import io.caduceus.api.tiers.TierHandlers;
import io.caduceus.api.tiers.TierMoves;
import io.caduceus.routing.PlaceDoor;
import io.caduceus.routing.schema.PlaceMigrations;

import java.time.Duration;

/** Where tenants' data lives and how it moves: tier moves, place upgrades, exports, offboarding and imports. */
final class TierWiring {

  final PlaceDoor places;
  final TierMoves tierMoves;
  final PlaceUpgrades placeUpgrades;
  final ArchiveJobs archiveJobs;
  final TenantExports exports;
  final TenantOffboarding offboarding;
  final TenantImports imports;

  TierWiring(Shared shared, AccessWiring access, PlaceMigrations placeMigrations, Duration placementsRefresh) {
    var vertx = shared.vertx();
    var controlPlane = shared.controlPlane();
    var catalog = shared.catalog();
    var regions = shared.regions();
    var placements = shared.placements();
    var keyring = shared.keyring();
    var revocations = access.revocations;
    var auth = access.auth;
    this.places = new PlaceDoor(vertx, placeMigrations, controlPlane, regions);
    this.tierMoves = new TierMoves(vertx, controlPlane, catalog, places, placements, regions,
        placementsRefresh.multipliedBy(2).plusMillis(500));
    this.placeUpgrades = new PlaceUpgrades(places, placements, controlPlane, regions);
    this.archiveJobs = new ArchiveJobs(vertx, controlPlane, catalog, regions,
        shared.config().dataDir().resolve("exports"));
    this.exports = new TenantExports(vertx, controlPlane, places, placements, keyring, archiveJobs);
    this.offboarding = new TenantOffboarding(vertx, controlPlane, catalog, places, placements, keyring, revocations,
        auth, exports, archiveJobs, placementsRefresh.multipliedBy(2).plusMillis(500));
    this.imports = new TenantImports(vertx, controlPlane, catalog, places, placements, regions, keyring, revocations,
        archiveJobs);
  }

  /** Binds the tier and archive operations. */
  void bind(Operations ops) {
    new TierHandlers(tierMoves, placeUpgrades, exports, offboarding, imports, archiveJobs).bind(ops);
  }
}
