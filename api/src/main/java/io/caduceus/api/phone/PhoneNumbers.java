package io.caduceus.api.phone;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.ValidationResult;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import io.caduceus.api.error.Invalid;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.catalog.TenantCatalog;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Locale;
import java.util.Optional;

/**
 * Phone numbers as they are stored and matched: E.164 ("+15550107"), parsed with libphonenumber. A number written
 * without a country code is read in the tenant's country, the region of its locale ("en-US" is the US).
 *
 * <p>A number is accepted when it is <em>possible</em> (a length its country's numbers can have, a local-only length
 * included), not only when it is <em>valid</em> (in a range a carrier has been allocated). Validity follows
 * allocations that change every month, so it would refuse real numbers until the library is upgraded, and it refuses
 * the reserved fictional 555 numbers of demos and tests ("+1 555 0107" is a local-only North American length); storing
 * and matching need one canonical form, not a guess at whether the number rings.
 */
public final class PhoneNumbers {

  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
  /** libphonenumber's "no default region": only numbers with a country code parse. */
  private static final String UNKNOWN_REGION = "ZZ";

  private final TenantCatalog catalog;

  public PhoneNumbers(TenantCatalog catalog) {
    this.catalog = catalog;
  }

  /** The country in which the tenant's national-format numbers are read, or null when its locale names none. */
  public Future<String> region(TenantId tenant) {
    return catalog.find(tenant).map(found -> found.map(t -> regionOf(t.locale())).orElse(null));
  }

  /**
   * {@code object} with its {@code field} in E.164 for the tenant (a copy; {@code object} itself when the field is
   * absent); fails with {@link Invalid} naming {@code pointer} when it is not a possible phone number.
   */
  public Future<JsonObject> normalised(TenantId tenant, JsonObject object, String field, String pointer) {
    String text = object == null ? null : object.getString(field);
    if (text == null) {
      return Future.succeededFuture(object);
    }
    return region(tenant).map(region -> object.copy().put(field, e164(pointer, text, region)));
  }

  /** {@code text} in E.164, read in {@code region} when national; fails with {@link Invalid} naming {@code pointer}. */
  public static String e164(String pointer, String text, String region) {
    try {
      PhoneNumber number = UTIL.parse(text, region == null ? UNKNOWN_REGION : region);
      ValidationResult possible = UTIL.isPossibleNumberWithReason(number);
      return switch (possible) {
        case IS_POSSIBLE, IS_POSSIBLE_LOCAL_ONLY -> UTIL.format(number, PhoneNumberFormat.E164);
        case TOO_SHORT -> throw new Invalid(pointer, "is too short for a phone number of its country");
        case TOO_LONG -> throw new Invalid(pointer, "is too long for a phone number of its country");
        default -> throw new Invalid(pointer, "is not a possible phone number of its country");
      };
    } catch (NumberParseException e) {
      if (e.getErrorType() == NumberParseException.ErrorType.INVALID_COUNTRY_CODE) {
        throw new Invalid(pointer, region == null
            ? "needs its country code (+…): the tenant's locale names no country to read it in"
            : "has an unknown country code");
      }
      throw new Invalid(pointer, "is not a phone number");
    }
  }

  /** The E.164 form of a number someone else sent (an SMS sender), or empty when it is not a possible number. */
  public static Optional<String> e164(String text, String region) {
    try {
      return Optional.of(e164("", text, region));
    } catch (Invalid e) {
      return Optional.empty();
    }
  }

  /** The region libphonenumber knows for a BCP 47 locale ("de-DE" is DE), or null. */
  static String regionOf(String locale) {
    String country = locale == null ? "" : Locale.forLanguageTag(locale).getCountry();
    return UTIL.getSupportedRegions().contains(country) ? country : null;
  }
}
