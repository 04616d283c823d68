package io.caduceus.notifications.engage;

import io.caduceus.notifications.channel.Channel;

import java.util.List;

/** A masked form of where a message went, for its history: "2 devices", "…42", "m…@example.org". */
final class AddressHint {

  private AddressHint() {
  }

  /** The hint for {@code addresses} on {@code channel}. */
  static String of(Channel channel, List<String> addresses) {
    if (addresses.isEmpty()) {
      return null;
    }
    String first = addresses.get(0);
    return switch (channel) {
      case PUSH -> addresses.size() == 1 ? "1 device" : addresses.size() + " devices";
      case SMS -> "…" + first.substring(Math.max(0, first.length() - 2));
      case EMAIL -> first.indexOf('@') > 0 ? first.charAt(0) + "…" + first.substring(first.indexOf('@')) : "…";
    };
  }
}
