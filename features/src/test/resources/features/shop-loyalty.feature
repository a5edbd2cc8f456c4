@shop-loyalty
Feature: An online shop's loyalty programme
  The shop-loyalty ruleset (rules/shop-loyalty) gives a point per euro, bonuses for big
  baskets, reviews, newsletters and birthdays, moves customers between tiers as the points
  they earned in the last 365 days change (whatever they redeemed since), and grants rewards.

  Background:
    Given the ruleset "shop-loyalty"
    And today is 2026-11-22

  @e2e
  Scenario: A big basket earns points and reaches Silver
    Given a contact "anna@example.fr" with:
      | firstName     | Anna |
      | consent.email | true |
    When the contact buys for 450.00 EUR
    Then the contact earns 550 points
    And the decisions are:
      | type  | delta | balance | expiresAt   | reason     | from     | to     |
      | POINTS | 450  | 450     | in 365 days | purchase   |          |        |
      | POINTS | 100  | 550     | in 90 days  | big basket |          |        |
      | TIER   |      |         |             |            | [empty]  | Silver |
    And the contact has 550 points
    And the contact's tier is "Silver"

  Scenario: Amounts are floored to whole points
    Given a contact "ben@example.fr"
    When the contact buys for 23.90 EUR
    Then the contact earns 23 points
    And the contact has no tier

  Scenario: Black Friday doubles the points
    Given today is 2026-11-28
    And a contact "ben@example.fr"
    When the contact buys for 120.00 EUR
    Then the contact earns 240 points
    And rule "Black Friday double points" fired

  Scenario: No double points after the Black Friday weekend
    Given today is 2026-12-01
    And a contact "ben@example.fr"
    When the contact buys for 120.00 EUR
    Then the contact earns 120 points
    And rule "Black Friday double points" did not fire

  Scenario: The last day of the seasonal window still counts, in Paris time
    Given the time is 2026-11-30T23:30 Europe/Paris
    And a contact "late@example.fr"
    When the contact buys for 10.00 EUR
    Then the contact earns 20 points

  @e2e
  Scenario: Points earned more than a year ago no longer count for the tier
    Given a contact "carla@example.fr" with:
      | tier | Silver |
    And the contact holds points:
      | points | earned       | expires   | reason   |
      | 600    | 363 days ago | in 2 days | purchase |
    Then the contact has 600 points
    When 3 days pass
    And the daily run happens
    Then 600 points expire
    And the contact's tier changes from "Silver" to ""
    And the contact has no tier
    And the contact has 0 points
    When 1 day passes
    And the daily run happens
    Then nothing is decided

  @e2e
  Scenario: A member who redeems keeps the tier
    Given a contact "mia@example.fr"
    When the contact buys for 450.00 EUR
    Then the contact earns 550 points
    And the contact's tier is "Silver"
    When the contact redeems the reward "10-percent-off"
    Then the contact has 250 points
    When 1 day passes
    And the contact submits the form "product-review"
    Then the contact earns 20 points
    And the contact has 270 points
    And the contact's tier is "Silver"
    When 1 day passes
    And the daily run happens
    Then nothing is decided
    And the contact's tier is "Silver"

  Scenario: A member falls a tier once the points earned leave the window, redeemed or not
    Given a contact "noe@example.fr"
    When the contact buys for 450.00 EUR
    And the contact redeems the reward "10-percent-off"
    Then the contact has 250 points
    And the contact's tier is "Silver"
    When 364 days pass
    And the daily run happens
    Then the contact's tier is "Silver"
    When 2 days pass
    And the daily run happens
    Then the contact's tier changes from "Silver" to ""

  Scenario: Gold members get free shipping with their purchase
    Given a contact "dora@example.fr" with:
      | tier | Gold |
    And the contact holds points:
      | points | earned     | expires      |
      | 2100   | 30 days ago | in 300 days |
    When the contact buys for 35.00 EUR
    Then the contact gets the reward "free-shipping"
    And the contact earns 35 points
    And the contact's tier is "Gold"

  Scenario: Silver members pay for shipping
    Given a contact "emil@example.fr" with:
      | tier | Silver |
    And the contact holds points:
      | points | earned      | expires     |
      | 700    | 30 days ago | in 300 days |
    When the contact buys for 35.00 EUR
    Then rule "Gold members ship free" did not fire
    And the contact has 735 points

  Scenario: A birthday brings a card and 50 points valid 30 days
    Given a contact "fanny@example.fr" with:
      | birthDate     | 1990-11-22 |
      | consent.email | true       |
    When the daily run happens
    Then the contact earns 50 points
    And the contact is sent "birthday-card"
    And the decisions include:
      | type   | delta | expiresAt  | reason         |
      | POINTS | 50    | in 30 days | happy birthday |

  Scenario: No birthday card without e-mail consent, but the points still come
    Given a contact "gael@example.fr" with:
      | birthDate | 1990-11-22 |
    When the daily run happens
    Then the contact earns 50 points
    And no message is sent
    And the message is suppressed because "no email consent"

  Scenario: Born on 29 February, celebrated on 28 February in a common year
    Given today is 2027-02-28
    And a contact "leap@example.fr" with:
      | birthDate     | 2004-02-29 |
      | consent.email | true       |
    When the daily run happens
    Then the contact earns 50 points
    And the contact is sent "birthday-card"

  Scenario: Born on 29 February, not celebrated on 28 February in a leap year
    Given today is 2028-02-28
    And a contact "leap@example.fr" with:
      | birthDate     | 2004-02-29 |
      | consent.email | true       |
    When the daily run happens
    Then the contact earns no points
    And no message is sent
    When 1 day passes
    And the daily run happens
    Then the contact earns 50 points

  Scenario: The fifth newsletter in a month earns nothing
    Given a contact "hugo@example.fr"
    And the contact's history:
      | type            | at          | title    |
      | newsletter_read | 20 days ago | Week 44  |
      | newsletter_read | 13 days ago | Week 45  |
      | newsletter_read | 6 days ago  | Week 46  |
    When the contact reads the newsletter "Week 47"
    Then the contact earns 5 points
    When 1 day passes
    And the contact reads the newsletter "Special"
    Then the contact earns no points

  Scenario: A refund never takes the balance below zero
    Given a contact "ines@example.fr"
    And the contact holds points:
      | points | earned      | expires     |
      | 30     | 10 days ago | in 100 days |
    When the contact submits the form "refund"
    Then the contact loses 30 points
    And the contact has 0 points

  Scenario: A refund takes the points that expire soonest first
    Given a contact "iris@example.fr"
    And the contact holds points:
      | points | earned       | expires      | reason         |
      | 100    | 300 days ago | in 65 days   | purchase       |
      | 100    | 355 days ago | in 10 days   | purchase       |
    When the contact submits the form "refund"
    Then the contact loses 50 points
    And the contact has 150 points
    When 11 days pass
    And the daily run happens
    Then 50 points expire
    And the contact has 100 points

  Scenario: A product review earns 20 points
    Given a contact "jules@example.fr"
    When the contact submits the form "product-review"
    Then the contact earns 20 points

  Scenario: Big spenders become VIP, lapsed customers leave VIP
    Given a contact "karl@example.fr"
    And the contact's history:
      | type     | at           | amount | currency |
      | purchase | 100 days ago | 800    | EUR      |
    When the contact buys for 300.00 EUR
    Then the contact is in segment "VIP"
    When 200 days pass
    And the daily run happens
    Then the contact is in segment "Lapsed"
    And the contact is not in segment "VIP"

  Scenario: Young adults are tagged once
    Given a contact "lea@example.fr" with:
      | birthDate | 2004-05-01 |
    When the daily run happens
    And 1 day passes
    And the daily run happens
    Then the contact has tag "YOUNG_ADULT" with count 1
