package io.caduceus.notifications.crm;

import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.UUID;

/** A campaign to store: what the tenant asked for, with its first run time already worked out. */
public record NewCampaign(UUID id, String name, JsonObject segment, JsonObject content, UUID surveyId,
                          JsonObject schedule, Instant firstRunAt, UUID createdBy) {
}
