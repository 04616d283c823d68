package io.caduceus.api.access;

import java.util.Set;
import java.util.UUID;

/** A tenant role a member holds, with every permission it gives (its base role's included). */
public record HeldRole(UUID id, String name, Set<String> permissions) {
}
