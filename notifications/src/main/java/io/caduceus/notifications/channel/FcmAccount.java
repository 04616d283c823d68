package io.caduceus.notifications.channel;

import java.util.Objects;

/**
 * A Firebase project that push messages go through. {@code serviceAccountJson} is the service account key file's
 * content; null means offline credentials, used only against a local fake endpoint.
 */
public record FcmAccount(String projectId, String serviceAccountJson) {

  public FcmAccount {
    Objects.requireNonNull(projectId, "projectId");
  }

  /** Never prints the service account key. */
  @Override
  public String toString() {
    return "FcmAccount[" + projectId + "]";
  }
}
