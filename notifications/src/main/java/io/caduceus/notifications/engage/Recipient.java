package io.caduceus.notifications.engage;

import java.time.ZoneId;
import java.util.UUID;

/**
 * Who a message goes to, as the tenant knows them when it is sent: a patient (any channel) or a staff member
 * (email only). Phone and email may be null; {@code zone} and {@code locale} may be null to use the tenant's.
 */
public record Recipient(RecipientKind kind, UUID id, String givenName, String phone, String email, String locale,
                        ZoneId zone) {
}
