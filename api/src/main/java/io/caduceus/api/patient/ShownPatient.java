package io.caduceus.api.patient;

import io.vertx.core.json.JsonObject;

import java.util.UUID;

/** A patient projected for the caller, with what the reply needs for its headers. */
public record ShownPatient(UUID id, int version, JsonObject json) {
}
