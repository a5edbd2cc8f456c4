package io.relais.engine.store;

/** Every attempt to write a contact lost to a concurrent write; the caller may retry later. */
public final class ContactBusyException extends RuntimeException {

  public ContactBusyException(String contactId, int attempts) {
    super("contact " + contactId + " changed concurrently " + attempts + " times in a row");
  }
}
