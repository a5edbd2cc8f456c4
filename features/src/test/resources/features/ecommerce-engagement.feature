@ecommerce-engagement
Feature: An online shop keeps its customers engaged
  The ecommerce-engagement ruleset (rules/ecommerce-engagement) tags product fans, builds
  RFM segments, recovers abandoned carts and wins back lapsed customers.

  Background:
    Given the ruleset "ecommerce-engagement"
    And today is 2026-11-22

  @e2e
  Scenario: An abandoned cart starts the recovery e-mails, and a purchase ends them
    Given a contact "mia@example.de" with:
      | consent.email | true |
    When the contact fills the cart with 2 items for 80.00 EUR
    Then the contact is enrolled in "cart-recovery" with steps:
      | message       | dueAt     |
      | cart-reminder | now       |
      | cart-discount | in 2 days |
    And the contact's score is 2
    When 1 day passes
    And the contact buys for 80.00 EUR
    Then the contact exits the campaign "cart-recovery"
    And the contact is not enrolled in "cart-recovery"

  Scenario: No cart recovery without e-mail consent
    Given a contact "noah@example.de"
    When the contact fills the cart with 1 item for 20.00 EUR
    Then the enrollment is suppressed because "no email consent"
    And the contact is not enrolled in "cart-recovery"

  Scenario: An emptied cart starts nothing
    Given a contact "olga@example.de" with:
      | consent.email | true |
    When the contact fills the cart with 0 items for 0.00 EUR
    Then nothing is decided
    And the contact is not enrolled in "cart-recovery"

  Scenario: No cart recovery the day after a purchase
    Given a contact "paul@example.de" with:
      | consent.email | true |
    And the contact's history:
      | type     | at         | amount | currency |
      | purchase | 1 day ago  | 40     | EUR      |
    When the contact fills the cart with 1 item for 30.00 EUR
    Then the contact is not enrolled in "cart-recovery"
    And rule "Abandoned cart" did not fire

  Scenario: A customer who left the cart recovery may enter it again later
    Given a contact "quinn@example.de" with:
      | consent.email | true |
    When the contact fills the cart with 1 item for 30.00 EUR
    And the contact buys for 30.00 EUR
    Then the contact is not enrolled in "cart-recovery"
    When 4 days pass
    And the contact fills the cart with 3 items for 90.00 EUR
    Then the contact is enrolled in "cart-recovery"

  # Two days after a purchase, the exit condition (< 3 days) and the enrollment rule (> 1 day)
  # both hold: the exit wins for this event (docs/language.md, Campaigns).
  Scenario: A contact who exits the cart recovery is not enrolled again by the same event
    Given a contact "yann@example.de" with:
      | consent.email | true |
    And the contact's history:
      | type     | at          | amount | currency |
      | purchase | 2 days ago  | 40     | EUR      |
    When the contact fills the cart with 1 item for 30.00 EUR
    Then the contact is enrolled in "cart-recovery"
    When 1 hour passes
    And the contact fills the cart with 2 items for 60.00 EUR
    Then the contact exits the campaign "cart-recovery"
    And rule "Abandoned cart" fired
    And the decisions include:
      | type | campaign      | rule                   |
      | EXIT | cart-recovery | campaign cart-recovery |
    And the contact is not enrolled in "cart-recovery"

  Scenario: Only carts over 50 EUR score
    Given a contact "rita@example.de"
    When the contact fills the cart with 1 item for 50.00 EUR
    Then the contact's score is 0
    When the contact fills the cart with 1 item for 50.01 EUR
    Then the contact's score is 2

  Scenario: The third like in a month makes a product fan
    Given a contact "sam@example.de"
    When the contact likes the product "trail-shoe"
    And the contact likes the product "rain-jacket"
    Then the contact has no tag "PRODUCT_FAN"
    When the contact likes the product "headlamp"
    Then the contact has tag "PRODUCT_FAN" with count 1

  Scenario: Likes older than 30 days do not count
    Given a contact "tom@example.de"
    And the contact's history:
      | type         | at          | product    |
      | product_like | 40 days ago | trail-shoe |
      | product_like | 35 days ago | headlamp   |
    When the contact likes the product "rain-jacket"
    Then the contact has no tag "PRODUCT_FAN"

  Scenario: Big spenders are thanked once their year passes 1000 EUR
    Given a contact "uma@example.de" with:
      | consent.email | true |
    And the contact's history:
      | type     | at           | amount | currency |
      | purchase | 200 days ago | 900    | EUR      |
    When the contact buys for 150.00 EUR
    Then the contact is sent "thank-you-big-spender"

  Scenario: No thank-you without consent
    Given a contact "vera@example.de"
    And the contact's history:
      | type     | at           | amount | currency |
      | purchase | 200 days ago | 900    | EUR      |
    When the contact buys for 150.00 EUR
    Then no message is sent
    And the message is suppressed because "no email consent"

  @e2e
  Scenario: The daily run wins back customers at risk, until they buy again
    Given a contact "walt@example.de" with:
      | consent.email | true |
    And the contact's history:
      | type     | at           | amount | currency |
      | purchase | 200 days ago | 60     | EUR      |
      | purchase | 120 days ago | 45     | EUR      |
    When the daily run happens
    Then the contact is in segment "At risk"
    And the contact is enrolled in "win-back" with steps:
      | message        | dueAt     |
      | we-miss-you    | now       |
      | win-back-offer | in 7 days |
    When 3 days pass
    And the contact buys for 70.00 EUR
    Then the contact exits the campaign "win-back"

  Scenario: Frequent recent customers are champions
    Given a contact "xena@example.de"
    And the contact's history:
      | type     | at          | amount | currency |
      | purchase | 60 days ago | 100    | EUR      |
      | purchase | 45 days ago | 100    | EUR      |
      | purchase | 30 days ago | 100    | EUR      |
      | purchase | 15 days ago | 100    | EUR      |
      | purchase | 5 days ago  | 100    | EUR      |
    When the daily run happens
    Then the contact is in segment "Champions"
    And the contact is not in segment "At risk"
