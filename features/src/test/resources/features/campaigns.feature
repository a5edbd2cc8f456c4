@campaigns
Feature: Campaigns share one frequency cap and wait out the contact's quiet hours
  A ruleset's cap counts the marketing messages of every campaign together, and its quiet
  hours are the contact's own night, in the contact's time zone (docs/language.md "Time
  zones, quiet hours and caps", docs/campaigns.md). Rules written here, not a sample ruleset.

  Background:
    Given the ruleset:
      """
      ruleset "two-courses"
      timezone "Europe/Paris"
      quiet hours 21:00 to 08:00
      at most 2 messages per 7 days

      campaign "welcome"
        step "welcome-hello" after 0 days
        step "welcome-tips" after 2 days
      end

      campaign "leasing-101"
        step "leasing-intro" after 0 days
        step "leasing-benefits" after 3 days
        step "leasing-offer" after 8 days
      end

      nurture "Welcome"
      when event is form_submit
      then enroll in "welcome"
      end

      nurture "Leasing"
      when event is page_visit
      then enroll in "leasing-101"
      end
      """
    And today is 2026-11-22

  @e2e
  Scenario: Two campaigns, two messages a week: the third is suppressed, and the week slides
    Given a contact "lea@example.fr" with:
      | consent.email | true |
    When the contact submits the form "newsletter"
    Then the contact is sent "welcome-hello"
    When the contact visits "/financing/leasing/offers"
    Then the contact is sent "leasing-intro"
    When 2 days pass
    Then the message "welcome-tips" is suppressed because "frequency cap"
    And no message is sent
    When 1 day passes
    Then the message "leasing-benefits" is suppressed because "frequency cap"
    And no message is sent
    # Eight days after the first two messages: the suppressed ones were never sent, so they
    # do not count, and the week before holds none.
    When 5 days pass
    Then the contact is sent "leasing-offer"

  Scenario: Steps of two campaigns due together are both held off by the cap
    Given a contact "max@example.fr" with:
      | consent.email | true |
    When the contact visits "/financing/leasing/offers"
    Then the contact is sent "leasing-intro"
    When 1 day passes
    And the contact submits the form "newsletter"
    Then the contact is sent "welcome-hello"
    When 1 day passes
    Then no message is sent
    When 1 day passes
    Then the message "welcome-tips" is suppressed because "frequency cap"
    And the message "leasing-benefits" is suppressed because "frequency cap"

  @e2e
  Scenario: A contact in New York gets the step at 8 in the morning New York time
    Given the time is 2026-11-22T10:00 Europe/Paris
    And a contact "sam@example.com" with:
      | consent.email | true             |
      | timeZone      | America/New_York |
    When the contact visits "/financing/leasing/offers"
    Then the contact is sent "leasing-intro" at "2026-11-22T13:00:00Z"
    When 3 days pass
    Then the contact is sent "leasing-benefits" at "2026-11-25T13:00:00Z"

  Scenario: A contact in Paris in the afternoon gets the step at once
    Given the time is 2026-11-22T15:00 Europe/Paris
    And a contact "paul@example.fr" with:
      | consent.email | true |
    When the contact visits "/financing/leasing/offers"
    Then the contact is sent "leasing-intro" at "2026-11-22T14:00:00Z"
