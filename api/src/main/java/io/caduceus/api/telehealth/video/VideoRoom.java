package io.caduceus.api.telehealth.video;

/** A video room: the provider that holds it ({@code twilio} or {@code sandbox}), its sid there and unique name. */
public record VideoRoom(String provider, String sid, String uniqueName) {
}
