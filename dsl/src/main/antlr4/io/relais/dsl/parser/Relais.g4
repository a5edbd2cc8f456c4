// The Relais rule language, version 1 (see DSL.md). AstBuilder turns the parse tree into
// io.relais.dsl.ast records; nothing outside io.relais.dsl.parser sees ANTLR types.
// The package comes from this file's folder (antlr4-maven-plugin passes -package).
grammar Relais;

options { caseInsensitive = true; }

// RulesParser drives `item` one at a time (item-level recovery); `file` documents the whole.
file
    : item* EOF
    ;

item
    : RULESET name=string                                                   #rulesetHeader
    | TIMEZONE zone=string                                                  #timezoneHeader
    | DEFAULT OWNER address=string                                          #defaultOwnerHeader
    // DSL.md section 12: when marketing messages wait, and how many a contact may get.
    | QUIET HOURS from=TIME TO until=TIME                                   #quietHoursDecl
    | AT MOST limit=number (MESSAGE | MESSAGES) PER duration
        (VIA channel=identifier)?                                           #capDecl
    | ATTRIBUTE CONTACT DOT name=anyName COLON type=identifier              #attributeDecl
    | EVENT name=identifier LBRACE (fieldDecl (COMMA fieldDecl)*)? RBRACE   #eventDecl
    | DEFINE name=identifier EQ literal                                     #defineDecl
    | CAMPAIGN name=string step* exitClause? END                            #campaignDecl
    // DSL.md section 13: `earned within D` bases the tier on points earned in a window.
    | TIER name=string FROM threshold=number POINTS (EARNED WITHIN within=duration)? #tierDecl
    | REWARD name=string COSTS cost=number POINTS                           #rewardDecl
    // DSL.md section 11: a DMN model read from a .dmn file of the ruleset.
    | TABLE name=string FROM dmnFile=string inputBinding* END                #tableDecl
    | ruleKind name=string
        (PRIORITY priority=number)?
        (ACTIVE FROM from=date)?
        (UNTIL until=date)?
        whenClause?
        THEN action+
        END                                                                 #ruleDecl
    ;

ruleKind
    : SEGMENT | SCORING | QUALIFY | NURTURE | LOYALTY | ALERT
    ;

fieldDecl
    : name=anyName COLON type=identifier
    ;

inputBinding
    : INPUT input=string EQ expression
    ;

step
    : STEP message=string AFTER duration
    ;

exitClause
    : EXIT WHEN expression
    ;

whenClause
    : WHEN expression
    ;

action
    : actionBody (BECAUSE reason=string)?
    ;

actionBody
    : TAG tag=string (BY by=valueExpression)?                                #tagAction
    | UNTAG tag=string                                                      #untagAction
    | ADD (TO SEGMENT segment=string | amount=valueExpression TO SCORE)     #addAction
    | REMOVE FROM SEGMENT segment=string                                    #removeAction
    | SUBTRACT amount=valueExpression FROM SCORE                            #subtractAction
    | SET (SCORE TO score=valueExpression | STAGE TO stage=identifier)      #setAction
    | ADVANCE STAGE TO stage=identifier                                     #advanceAction
    | DISQUALIFY                                                            #disqualifyAction
    | ENROLL IN campaign=string                                             #enrollAction
    | STOP campaign=string                                                  #stopAction
    | SEND message=string (VIA channel=identifier)?                         #sendAction
    | AWARD amount=valueExpression POINTS (EXPIRING IN duration)?           #awardAction
    | DEDUCT amount=valueExpression POINTS                                  #deductAction
    | GRANT REWARD reward=string                                            #grantAction
    | NOTIFY (OWNER | to=string) (VIA channel=identifier)? WITH message=string
        (AT MOST ONCE PER duration)?                                        #notifyAction
    ;

expression
    : booleanExpression
    ;

// Alternatives listed first bind tighter: not > and > or.
booleanExpression
    : NOT booleanExpression                                   #logicalNot
    | left=booleanExpression AND right=booleanExpression      #and
    | left=booleanExpression OR right=booleanExpression       #or
    | HAS TAG tag=string                                      #hasTag
    | IN SEGMENT segment=string                               #inSegment
    | valueExpression predicate?                              #predicated
    ;

predicate
    : comparisonOperator right=valueExpression                                     #comparison
    | IS NOT? (EMPTY | right=valueExpression)                                      #isPredicate
    | BETWEEN low=valueExpression AND high=valueExpression                         #between
    | NOT? IN LBRACKET (valueExpression (COMMA valueExpression)*)? RBRACKET        #inList
    | CONTAINS right=valueExpression                                               #contains
    | MATCHES glob=string                                                          #matches
    ;

comparisonOperator
    : EQ | NEQ | LT | LTE | GT | GTE
    ;

valueExpression
    : primary                                                             #valueDefault
    | left=valueExpression op=(ASTERISK | SLASH) right=valueExpression    #arithmetic
    | left=valueExpression op=(PLUS | MINUS) right=valueExpression        #arithmetic
    ;

primary
    : number                                                                  #numberLiteral
    | string                                                                  #stringLiteral
    | date                                                                    #dateLiteral
    | value=(TRUE | FALSE)                                                    #booleanLiteral
    | TAG tag=string                                                          #tagCount
    | COUNT LPAREN type=identifier history RPAREN                             #count
    | SUM LPAREN type=identifier DOT attribute=anyName history RPAREN         #sum
    | DAYS SINCE LAST type=identifier                                         #daysSinceLast
    | DECISION decision=string OF table=string                                #decisionRef
    // One alternative for both, so `event` followed by anything else gets one clear message.
    | EVENT (IS type=identifier | DOT anyName (DOT anyName)*)                #eventRef
    | identifier (DOT anyName)*                                               #path
    | LPAREN expression RPAREN                                                #parenthesized
    ;

history
    : (WHERE where=expression)? (WITHIN within=duration)?
    ;

literal
    : number                 #numberValue
    | string                 #stringValue
    | date                   #dateValue
    | value=(TRUE | FALSE)   #booleanValue
    ;

number
    : MINUS? (NUMBER | BAD_NUMBER)
    ;

string
    : STRING | UNTERMINATED_STRING
    ;

date
    : DATE
    ;

duration
    : amount=number unit=(MINUTE | MINUTES | HOUR | HOURS | DAY | DAYS | WEEK | WEEKS)
    ;

// Keywords that may still name things (event attributes, constants, stages): `event.campaign`,
// `count(email_open where campaign = "x")`, `contact.points`. The reserved rest are the
// operators, the words that end a clause, and those that start a condition (tag, has, count, decision,
// sum, days) so that every decision needs one token of lookahead.
identifier
    : IDENT
    | nonReserved
    ;

// After a dot and in declarations nothing else could follow, so even reserved words name
// attributes there: `event webinar { start: datetime, end: datetime }`, `event.end`.
anyName
    : identifier
    | AND | BECAUSE | BETWEEN | BY | CONTAINS | COUNT | DAYS | EMPTY | END | EVENT | FALSE | FROM
    | DECISION | HAS | IN | IS | MATCHES | NOT | OR | SUM | TAG | THEN | TO | TRUE | VIA | WHEN | WHERE
    | WITH | WITHIN
    ;

nonReserved
    : ACTIVE | ADD | ADVANCE | AFTER | ALERT | AT | ATTRIBUTE | AWARD | CAMPAIGN | CONTACT
    | COSTS | DAY | DEDUCT | DEFAULT | DEFINE | DISQUALIFY | EARNED | ENROLL | EXIT
    | EXPIRING | GRANT | HOUR | HOURS | INPUT | LAST | LOYALTY | MESSAGE | MESSAGES | MINUTE
    | MINUTES | MOST | NOTIFY | NURTURE | OF | ONCE | OWNER | PER | POINTS | PRIORITY | QUALIFY
    | QUIET | REMOVE | REWARD
    | RULESET | SCORE | SCORING | SEGMENT | SEND | SET | SINCE | STAGE | STEP | STOP
    | SUBTRACT | TABLE | TIER | TIMEZONE | UNTAG | UNTIL | WEEK | WEEKS
    ;

// ---- lexer ----

ACTIVE: 'active';
ADD: 'add';
ADVANCE: 'advance';
AFTER: 'after';
ALERT: 'alert';
AND: 'and';
AT: 'at';
ATTRIBUTE: 'attribute';
AWARD: 'award';
BECAUSE: 'because';
BETWEEN: 'between';
BY: 'by';
CAMPAIGN: 'campaign';
CONTACT: 'contact';
CONTAINS: 'contains';
COSTS: 'costs';
COUNT: 'count';
DAY: 'day';
DAYS: 'days';
DECISION: 'decision';
DEDUCT: 'deduct';
DEFAULT: 'default';
DEFINE: 'define';
DISQUALIFY: 'disqualify';
EARNED: 'earned';
EMPTY: 'empty';
END: 'end';
ENROLL: 'enroll';
EVENT: 'event';
EXIT: 'exit';
EXPIRING: 'expiring';
FALSE: 'false';
FROM: 'from';
GRANT: 'grant';
HAS: 'has';
HOUR: 'hour';
HOURS: 'hours';
IN: 'in';
INPUT: 'input';
IS: 'is';
LAST: 'last';
LOYALTY: 'loyalty';
MATCHES: 'matches';
MESSAGE: 'message';
MESSAGES: 'messages';
MINUTE: 'minute';
MINUTES: 'minutes';
MOST: 'most';
NOT: 'not';
NOTIFY: 'notify';
NURTURE: 'nurture';
OF: 'of';
ONCE: 'once';
OR: 'or';
OWNER: 'owner';
PER: 'per';
POINTS: 'points';
PRIORITY: 'priority';
QUALIFY: 'qualify';
QUIET: 'quiet';
REMOVE: 'remove';
REWARD: 'reward';
RULESET: 'ruleset';
SCORE: 'score';
SCORING: 'scoring';
SEGMENT: 'segment';
SEND: 'send';
SET: 'set';
SINCE: 'since';
STAGE: 'stage';
STEP: 'step';
STOP: 'stop';
SUBTRACT: 'subtract';
SUM: 'sum';
TABLE: 'table';
TAG: 'tag';
THEN: 'then';
TIER: 'tier';
TIMEZONE: 'timezone';
TO: 'to';
TRUE: 'true';
UNTAG: 'untag';
UNTIL: 'until';
VIA: 'via';
WEEK: 'week';
WEEKS: 'weeks';
WHEN: 'when';
WHERE: 'where';
WITH: 'with';
WITHIN: 'within';

LPAREN: '(';
RPAREN: ')';
LBRACKET: '[';
RBRACKET: ']';
LBRACE: '{';
RBRACE: '}';
COMMA: ',';
DOT: '.';
COLON: ':';
EQ: '=';
NEQ: '!=';
LTE: '<=';
GTE: '>=';
LT: '<';
GT: '>';
PLUS: '+';
MINUS: '-';
ASTERISK: '*';
SLASH: '/';

// Validated after lexing (2026-02-30 is a diagnostic, not a syntax error).
DATE: DIGIT DIGIT DIGIT DIGIT '-' DIGIT DIGIT '-' DIGIT DIGIT;

// A local time of day (`quiet hours 21:00 to 08:00`); its range is checked after lexing.
TIME: DIGIT DIGIT? ':' DIGIT DIGIT;

NUMBER: DIGIT+ ('.' DIGIT+)?;

// `12.`, `1.2.3`, `7days`: one token, so the author gets one clear message instead of a cascade.
BAD_NUMBER: DIGIT+ ('.' | DIGIT | [a-z_])*;

// Escapes are checked after lexing; a string never spans lines.
STRING: '"' (~["\\\r\n] | '\\' ~[\r\n])* '"';

// What is left of a string whose closing quote is missing: reported, then parsed as a string.
UNTERMINATED_STRING: '"' (~["\\\r\n] | '\\' ~[\r\n])* '\\'?;

IDENT: [a-z_] [a-z0-9_]*;

COMMENT: '#' ~[\r\n]* -> channel(HIDDEN);

WS: [ \t\r\n\u000C\uFEFF]+ -> skip;

// Anything else becomes a token the parser reports; the lexer itself never fails.
UNRECOGNIZED: .;

fragment DIGIT: [0-9];
