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
      | message          | dueAt     |
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

  @e2e
  Scenario: A visitor who becomes known brings the visits, tags and score along
    Given a contact "cookie-7f3a"
    When the contact visits "/financing/leasing/offers"
    And 1 day passes
    And the contact visits "/financing/leasing/calculator"
    Then the contact has tag "FINANCING_LEASING" with count 2
    And the contact's score is 2
    Given a contact "jean@example.fr" with:
      | firstName     | Jean         |
      | owner         | marc@acme.fr |
      | consent.email | true         |
    When the contact "cookie-7f3a" is merged into the contact
    Then the contact has tag "FINANCING_LEASING" with count 2
    And the contact's score is 2
    When 1 day passes
    And the contact "cookie-7f3a" visits "/financing/leasing/faq"
    Then the contact's stage is MQL
    And the contact has tag "FINANCING_LEASING" with count 3
    And the contact's score is 3
    And the owner is alerted with "Jean is interested in leasing"

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

  Scenario: A sales-qualified lead leaves the leasing course
    Given a contact "jean@example.fr" with:
      | firstName     | Jean         |
      | owner         | marc@acme.fr |
      | score         | 97           |
      | stage         | MQL          |
      | consent.email | true         |
    When the contact visits "/financing/leasing/offers"
    Then the contact is enrolled in "leasing-101"
    When the contact visits "/financing/leasing/calculator"
    And the contact visits "/financing/leasing/faq"
    Then the contact's stage is SQL
    And the contact exits the campaign "leasing-101"
    And the contact is not enrolled in "leasing-101"
    When 1 day passes
    And the contact visits "/financing/leasing/offers"
    Then the owner is alerted with "Jean is back on /financing/leasing/offers"
    And the contact is not enrolled in "leasing-101"

  Scenario: No leasing course without e-mail consent
    Given a contact "no-consent@example.fr" with:
      | consent.email | false |
    When the contact visits "/financing/leasing/offers"
    Then the enrollment is suppressed because "no email consent"
    And the contact is not enrolled in "leasing-101"
    And the contact has tag "FINANCING_LEASING" with count 1

  Scenario: A hot lead without an owner alerts the dealer's default owner
    Given a contact "anon@example.fr" with:
      | stage | SQL |
    When the contact visits "/models/suv/explorer"
    Then "sales@acme-auto.fr" is alerted with "A lead is back on /models/suv/explorer"
    And the contact has tag "SUV" with count 1

  Scenario: The hot-lead alert comes back the next day, not the same day
    Given the time is 2026-11-22T09:00 Europe/Paris
    And a contact "jean@example.fr" with:
      | firstName | Jean         |
      | owner     | marc@acme.fr |
      | stage     | SQL          |
    When the contact visits "/models/suv/explorer"
    Then the owner is alerted with "Jean is back on /models/suv/explorer"
    When 23 hours pass
    And the contact visits "/models/suv/trail"
    Then no alert is sent
    And the alert is suppressed because "throttled"
    When 1 hour passes
    And the contact visits "/models/suv/trail"
    Then the owner is alerted with "Jean is back on /models/suv/trail"

  Scenario: A test drive request and a few e-mail opens make an engaged lead
    Given a contact "c-7" with:
      | score | 10 |
    When the contact submits the form "test-drive"
    Then the contact's score is 40
    And the decisions are:
      | type  | delta | score | reason                 |
      | SCORE | 30    | 40    | asked for a test drive |
    When the contact opens the e-mail "leasing-intro"
    And the contact opens the e-mail "leasing-benefits"
    Then the contact's score is 50
    And the contact's stage is MQL
    And rule "Engaged lead" fired

  Scenario: A student without a company is disqualified and the team hears once a week
    Given a contact "student@example.fr" with:
      | consent.email | true |
    When the contact visits "/students/discounts"
    Then the contact's stage is DISQUALIFIED
    And the decisions include:
      | type  | to           | reason               |
      | STAGE | DISQUALIFIED | student, no company  |
    When the contact submits the form "brochure"
    Then "sales-team@acme-auto.fr" is alerted via slack with "student@example.fr submitted brochure"
    When 6 days pass
    And the contact submits the form "brochure"
    Then no alert is sent
    When 1 day passes
    And the contact submits the form "brochure"
    Then "sales-team@acme-auto.fr" is alerted via slack with "student@example.fr submitted brochure"

  Scenario: A student with a company stays in the funnel
    Given a contact "intern@example.fr" with:
      | company | Garage Dupont |
    When the contact visits "/students/discounts"
    Then the contact's stage is LEAD
    And rule "Students are not buyers" did not fire

  Scenario: A large company interested in leasing joins the fleet segment on its next visit
    Given a contact "buyer@bigcorp.fr" with:
      | company     | BigCorp |
      | companySize | 250     |
    When the contact visits "/financing/leasing/offers"
    Then the contact is not in segment "Fleet"
    When the contact visits "/models/city"
    Then the contact is in segment "Fleet"

  Scenario: A small company interested in leasing is not a fleet prospect
    Given a contact "owner@smallshop.fr" with:
      | companySize | 12                   |
      | tags        | FINANCING_LEASING: 2 |
    When the contact visits "/financing/leasing/offers"
    Then the contact is not in segment "Fleet"
    And rule "Fleet prospects" did not fire

  @e2e
  Scenario: The course's steps are decided when they come due, in the contact's morning, under the cap
    Given the time is 2026-11-22T22:30 Europe/Paris
    And a contact "jean@example.fr" with:
      | firstName     | Jean |
      | consent.email | true |
    When the contact visits "/financing/leasing/offers"
    Then the contact is sent "leasing-intro" at "2026-11-23T07:00:00Z"
    When 2 days pass
    Then no message is sent
    When 1 day passes
    Then the contact is sent "leasing-benefits" at "2026-11-26T07:00:00Z"
    When 4 days pass
    Then the contact is sent "leasing-offer" at "2026-11-30T07:00:00Z"
