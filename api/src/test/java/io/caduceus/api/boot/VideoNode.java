package io.caduceus.api.boot;

import io.caduceus.api.telehealth.video.VideoRooms;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.keys.TenantKeyring;

/** The test node's parts the video tests drive directly: its door to tenant data, its keyring and its rooms. */
public final class VideoNode {

  private VideoNode() {
  }

  /** The test node's door to tenant data. */
  public static TenantDb db() {
    return TestPlatform.get().app().assembly().db;
  }

  /** The test node's tenant keyring. */
  public static TenantKeyring keyring() {
    return TestPlatform.get().app().assembly().keyring;
  }

  /** The rooms the test node's sessions open (its Twilio base URL is the platform's fake). */
  public static VideoRooms rooms() {
    return TestPlatform.get().app().assembly().video.rooms;
  }
}
