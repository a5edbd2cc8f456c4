package io.relais.engine.store;

/**
 * A write of a contact's own document to an alias: a contact merged into {@code target}, whose
 * profile and state are the target's now (ContactMerges).
 */
public final class ContactAliasException extends RuntimeException {

  private final String contactId;
  private final String target;

  public ContactAliasException(String contactId, String target) {
    super("contact " + contactId + " was merged into contact " + target);
    this.contactId = contactId;
    this.target = target;
  }

  public String contactId() {
    return contactId;
  }

  public String target() {
    return target;
  }
}
