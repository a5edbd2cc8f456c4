@b2b-qualification
Feature: A software vendor qualifies B2B leads
  The b2b-qualification ruleset (rules/b2b-qualification) scores webinars and demo requests,
  weighs pricing and integration interest, qualifies MQLs and SQLs, disqualifies companies
  too small to buy, and tells the owner when an SQL is back on the pricing page.

  Background:
    Given the ruleset "b2b-qualification"
    And today is 2026-11-22

  Scenario: A demo request and a long webinar make a marketing qualified lead
    Given a contact "lena@acme-corp.com" with:
      | company     | Acme Corp |
      | companySize | 80        |
    When the contact submits the form "demo"
    Then the contact's score is 40
    And the contact's stage is LEAD
    When the contact sends the event:
      | type    | webinar_attended   |
      | title   | Automation in 2027 |
      | minutes | 45                 |
    Then the contact's score is 55
    And the contact's stage is MQL
    And the decisions are:
      | type  | delta | score | from | to  | reason                 |
      | SCORE | 15    | 55    |      |     | stayed for the webinar |
      | STAGE |       |       | LEAD | MQL |                        |

  Scenario: The fit grid (a DMN table) adds points for a company that fits
    Given a contact "olga@fintrust.com" with:
      | companySize | 250     |
      | industry    | finance |
    When the contact submits the form "demo"
    Then the decisions are:
      | type  | delta | score | from | to  | reason      |
      | SCORE | 30    | 30    |      |     | company fit |
      | SCORE | 40    | 70    |      |     |             |
      | STAGE |       |       | LEAD | MQL |             |
    And rule "Company fit" fired

  Scenario: The fit grid grades a mid-size retailer C: no fit points
    Given a contact "rita@shopmart.com" with:
      | companySize | 50     |
      | industry    | retail |
    When the contact submits the form "demo"
    Then rule "Company fit" did not fire
    And the contact's score is 40

  Scenario: A webinar left early scores nothing
    Given a contact "max@acme-corp.com"
    When the contact sends the event:
      | type    | webinar_attended   |
      | title   | Automation in 2027 |
      | minutes | 12                 |
    Then nothing is decided
    And the contact's score is 0

  @e2e
  Scenario: Pricing interest, a demo and a budget make a sales qualified lead
    Given a contact "nina@bigco.com" with:
      | firstName   | Nina        |
      | company     | BigCo       |
      | companySize | 400         |
      | owner       | tom@ours.io |
      | score       | 100         |
      | stage       | MQL         |
      | tags        | PRICING: 2  |
      | budget      | 25000       |
    When the contact visits "/pricing/enterprise"
    Then the contact has tag "PRICING" with count 4
    And the contact's stage is MQL
    When the contact submits the form "demo"
    Then the contact's stage is SQL
    And the decisions include:
      | type  | from | to  | reason                               |
      | STAGE | MQL  | SQL | engaged, pricing interest and budget |

  Scenario: Without the budget a hot lead stays an MQL
    Given a contact "olaf@smallco.com" with:
      | companySize | 40          |
      | score       | 130         |
      | stage       | MQL         |
      | tags        | PRICING: 4  |
      | budget      | 8000        |
    When the contact visits "/docs/integrations/salesforce"
    Then the contact's stage is MQL
    And the contact has tag "INTEGRATIONS" with count 1
    And rule "Sales qualified" did not fire

  Scenario: Integration docs count as much as pricing interest
    Given a contact "pia@bigco.com" with:
      | companySize | 400   |
      | score       | 125   |
      | stage       | MQL   |
      | budget      | 50000 |
    When the contact visits "/docs/integrations/hubspot"
    Then the contact's stage is SQL

  @e2e
  Scenario: An SQL back on the pricing page alerts the owner at most every 12 hours
    Given the time is 2026-11-22T08:00Z
    And a contact "quentin@bigco.com" with:
      | firstName   | Quentin     |
      | company     | BigCo       |
      | companySize | 400         |
      | owner       | tom@ours.io |
      | stage       | SQL         |
    When the contact visits "/pricing"
    Then "tom@ours.io" is alerted via email with "Quentin from BigCo is on the pricing page"
    When 2 hours pass
    And the contact visits "/pricing/enterprise"
    Then no alert is sent
    And the alert is suppressed because "throttled"
    When 11 hours pass
    And the contact visits "/pricing"
    Then the owner is alerted with "Quentin from BigCo is on the pricing page"

  Scenario: Without an owner the alert goes to inside sales, with fallbacks in the text
    Given a contact "ruth@bigco.com" with:
      | companySize | 400 |
      | stage       | SQL |
    When the contact visits "/pricing"
    Then "inside-sales@example.com" is alerted with "Someone from an account is on the pricing page"

  Scenario: An SQL reading the docs is not an alert
    Given a contact "sven@bigco.com" with:
      | companySize | 400 |
      | stage       | SQL |
    When the contact visits "/docs/getting-started"
    Then no alert is sent

  Scenario: A company too small to buy is disqualified, and stays so
    Given a contact "tina@tiny.io" with:
      | companySize | 3        |
      | industry    | software |
    When the contact submits the form "demo"
    Then the contact's stage is DISQUALIFIED
    And the decisions include:
      | type  | from | to           | reason             |
      | STAGE | LEAD | DISQUALIFIED | company too small  |
    When the contact submits the form "demo"
    # 40 per demo request, and 5 per request from the fit grid (software, under 20 people: B)
    Then the contact's score is 90
    And the contact's stage is DISQUALIFIED
    And rule "Marketing qualified" did not fire

  Scenario: A small consultancy is not too small
    Given a contact "ugo@consult.io" with:
      | companySize | 3          |
      | industry    | consulting |
    When the contact submits the form "demo"
    Then the contact's stage is LEAD
    And rule "Too small" did not fire

  Scenario: Leads that stop visiting lose points on the daily run
    Given a contact "vic@bigco.com" with:
      | companySize | 400 |
      | score       | 60  |
      | stage       | MQL |
    And the contact's history:
      | type       | at           | url      |
      | page_visit | 100 days ago | /pricing |
    When the daily run happens
    Then the contact's score is 50

  Scenario: Leads seen recently keep their score on the daily run
    Given a contact "wes@bigco.com" with:
      | companySize | 400 |
      | score       | 60  |
      | stage       | MQL |
    And the contact's history:
      | type       | at          | url      |
      | page_visit | 30 days ago | /pricing |
    When the daily run happens
    Then the contact's score is 60
    And nothing is decided
