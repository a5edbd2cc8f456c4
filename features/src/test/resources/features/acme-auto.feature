@acme-auto
Feature: A car dealer qualifies its leasing leads
  The acme-auto ruleset (rules/acme-auto) tags leasing and SUV interest, scores visits,
  e-mail opens and test drives, qualifies hot leads, teaches leasing by e-mail and tells the
  sales rep when a hot lead is back.

  Background:
    Given the ruleset "acme-auto"
    And today is 2026-11-22

  @e2e
  Scenario: Three leasing visits in a week make an MQL, enrolled once, and the owner is alerted once
    Given a contact "jean@example.fr" with:
      | firstName     | Jean         |
      | owner         | marc@acme.fr |
      | consent.email | true         |
    When the contact visits "/financing/leasing/offers"
    Then the contact is enrolled in "leasing-101" with steps:
      | message          | sendAt    |
      | leasing-intro    | now       |
      | leasing-benefits | in 3 days |
      | leasing-offer    | in 7 days |
    When 2 days pass
    And the contact visits "/financing/leasing/calculator"
    Then the contact's stage is LEAD
    And no alert is sent
    When 3 days pass
    And the contact visits "/financing/leasing/faq"
    Then the contact's stage is MQL
    And the contact has tag "FINANCING_LEASING" with count 3
    And the contact's score is 3
    And the owner is alerted with "Jean is interested in leasing"
    And rule "Leasing education" fired
    And the decisions include:
      | type  | from | to  | rule                       |
      | STAGE | LEAD | MQL | Leasing interest this week |
    When 1 day passes
    And the contact visits "/financing/leasing/offers"
    Then the alert is suppressed because "throttled"
    And no alert is sent

  Scenario: Three leasing visits spread over more than a week are not enough
    Given a contact "slow@example.fr" with:
      | consent.email | true |
    Given the contact's history:
      | type       | at          | url                           |
      | page_visit | 10 days ago | /financing/leasing/offers     |
      | page_visit | 9 days ago  | /financing/leasing/calculator |
    When the contact visits "/financing/leasing/faq"
    Then the contact's stage is LEAD
    And rule "Leasing interest this week" did not fire

  Scenario: Every page visit scores one point
    Given a contact "c-1" with:
      | score | 10 |
    When the contact visits "/models/city" 3 times
    Then the contact's score is 13
    And the decisions are:
      | type  | delta | score | rule          |
      | SCORE | 1     | 11    | Website visit |
      | SCORE | 1     | 12    | Website visit |
      | SCORE | 1     | 13    | Website visit |

  Scenario: A hot leasing lead becomes sales qualified
    Given a contact "jean@example.fr" with:
      | firstName     | Jean                 |
      | owner         | marc@acme.fr         |
      | score         | 99                   |
      | stage         | MQL                  |
      | tags          | FINANCING_LEASING: 2 |
      | consent.email | true                 |
    When the contact visits "/financing/leasing/offers"
    Then the decisions are:
      | type  | tag               | delta | count | score | from | to  | reason                     |
      | TAG   | FINANCING_LEASING | 1     | 3     |       |      |     |                            |
      | SCORE |                   | 1     |       | 100   |      |     |                            |
      | STAGE |                   |       |       |       | MQL  | SQL | score and leasing interest |
      | ALERT |                   |       |       |       |      |     |                            |
    And the owner is alerted with "Jean is back on /financing/leasing/offers"
    And the contact's stage is SQL
