-- A games database as the store of schema version 2 wrote it (PRAGMA user_version = 2, owners, before forks),
-- dumped with sqlite3's iterdump: game v2ai (AI only, turn 3 of 6, owner token v2-fixture-owner-ai) and v2human
-- (SYR, turn 2 of 6, owner token v2-fixture-owner-human, seat token v2-fixture-token-SYR). Never regenerate
-- it: it stands for databases already in use.
PRAGMA user_version = 2;
BEGIN TRANSACTION;
CREATE TABLE games (
            id            TEXT PRIMARY KEY,
            scenario      TEXT NOT NULL,              -- scenario id the game was created from (display, export)
            scenario_name TEXT NOT NULL,
            scenario_yaml TEXT NOT NULL,              -- the resolved scenario: the game never depends on files again
            scenario_hash TEXT NOT NULL,              -- sha256 of scenario_yaml
            seed          INTEGER NOT NULL,
            turns         INTEGER NOT NULL,
            human         TEXT NOT NULL,              -- JSON list of actor ids
            token_hashes  TEXT NOT NULL,              -- JSON {actor: sha256 hex of the seat token}
            orders_log    TEXT NOT NULL,              -- JSON model.orders_log of every resolved turn
            turn          INTEGER NOT NULL,           -- last completed turn
            status        TEXT NOT NULL,              -- waiting | ready | finished
            created       TEXT NOT NULL,
            updated       TEXT NOT NULL
        , owner_hash TEXT NOT NULL DEFAULT '');
INSERT INTO "games" VALUES('v2ai','mini','Mini test scenario','name: Mini test scenario
description: Four actors, three regions, three bases, two issues.
start: 2025-12
turns: 6
actors:
  RUS:
    name: Russia
    color: ''#888888''
    western: false
    capabilities:
      military: 40.0
      economic: 20.0
      diplomatic: 30.0
    action_points: 2
    goals:
      tartus:
        kind: hold_base
        weight: 2.0
        base: tartus
        actor: null
        target: null
        direction: null
        regions: null
        issue: null
      ties:
        kind: relation
        weight: 1.0
        base: null
        actor: SYR
        target: 0.6
        direction: null
        regions: null
        issue: null
      basing:
        kind: issue
        weight: 1.0
        base: null
        actor: null
        target: null
        direction: null
        regions: null
        issue: basing
    policy:
      kind: utility
      temperature: 0.15
      rules: []
      script: {}
      fallback: hold
    actions: null
    budget: null
    potential: null
  SYR:
    name: Syria
    color: ''#888888''
    western: false
    capabilities:
      military: 20.0
      economic: 5.0
      diplomatic: 20.0
    action_points: 2
    goals:
      west:
        kind: relation
        weight: 1.0
        base: null
        actor: USA
        target: 0.7
        direction: null
        regions: null
        issue: null
      land:
        kind: influence
        weight: 1.5
        base: null
        actor: null
        target: null
        direction: null
        regions: null
        issue: null
      basing:
        kind: issue
        weight: 1.0
        base: null
        actor: null
        target: null
        direction: null
        regions: null
        issue: basing
      calm:
        kind: stability
        weight: 1.0
        base: null
        actor: null
        target: null
        direction: null
        regions: null
        issue: null
    policy:
      kind: utility
      temperature: 0.15
      rules: []
      script: {}
      fallback: hold
    actions: null
    budget: null
    potential: null
  USA:
    name: United States
    color: ''#888888''
    western: true
    capabilities:
      military: 60.0
      economic: 80.0
      diplomatic: 70.0
    action_points: 3
    goals:
      tanf:
        kind: hold_base
        weight: 1.0
        base: al_tanf
        actor: null
        target: null
        direction: null
        regions: null
        issue: null
      ties:
        kind: relation
        weight: 1.0
        base: null
        actor: SYR
        target: 0.6
        direction: null
        regions: null
        issue: null
      deny:
        kind: deny_base
        weight: 0.5
        base: tartus
        actor: RUS
        target: null
        direction: null
        regions: null
        issue: null
    policy:
      kind: utility
      temperature: 0.15
      rules: []
      script: {}
      fallback: hold
    actions: null
    budget: null
    potential: null
  SDF:
    name: SDF
    color: ''#888888''
    western: false
    capabilities:
      military: 15.0
      economic: 5.0
      diplomatic: 5.0
    action_points: 2
    goals:
      land:
        kind: influence
        weight: 2.0
        base: null
        actor: null
        target: null
        direction: null
        regions:
        - hasakah
        issue: null
      autonomy:
        kind: issue
        weight: 1.0
        base: null
        actor: null
        target: null
        direction: null
        regions: null
        issue: integration
    policy:
      kind: utility
      temperature: 0.15
      rules: []
      script: {}
      fallback: hold
    actions: null
    budget: null
    potential: null
relations:
  RUS-SYR: 0.1
  RUS-USA: -0.6
  SYR-USA: 0.3
  SYR-SDF: -0.2
  USA-SDF: 0.5
  RUS-SDF: 0.0
affinity: {}
bases:
  tartus:
    name: Tartus
    lat: 34.915
    lon: 35.874
    region: tartus
    kind: naval
    controller: RUS
    host: null
    garrison: 0.6
    status: active
    value:
      RUS: 1.0
      SYR: 0.4
    troops: 0.0
    held_by_force: false
    talks: null
    talks_favours: high
    lease:
      renew: 0.5
      reduce: 0.35
      evict: 0.2
      reprieve: 0.3
      cap: 0.4
      notice_months: 6
      on_reduced: []
      on_notice: []
      on_reprieve: []
      on_renewed: []
      on_handed_over: []
  al_tanf:
    name: Al-Tanf
    lat: 33.50583
    lon: 38.61778
    region: homs
    kind: garrison
    controller: USA
    host: null
    garrison: 0.5
    status: active
    value:
      USA: 0.6
    troops: 0.0
    held_by_force: false
    talks: null
    talks_favours: high
    lease:
      renew: 0.5
      reduce: 0.35
      evict: 0.2
      reprieve: 0.3
      cap: 0.4
      notice_months: 6
      on_reduced: []
      on_notice: []
      on_reprieve: []
      on_renewed: []
      on_handed_over: []
  qamishli:
    name: Qamishli
    lat: 37.02056
    lon: 41.19139
    region: hasakah
    kind: airport
    controller: SDF
    host: SDF
    garrison: 0.3
    status: active
    value:
      SDF: 0.5
      SYR: 0.5
    troops: 0.0
    held_by_force: false
    talks: null
    talks_favours: high
    lease:
      renew: 0.5
      reduce: 0.35
      evict: 0.2
      reprieve: 0.3
      cap: 0.4
      notice_months: 6
      on_reduced: []
      on_notice: []
      on_reprieve: []
      on_renewed: []
      on_handed_over: []
regions:
  tartus:
    name: Tartus
    iso: SY-TA
    population: 954.0
    control:
      SYR: 1.0
    support: {}
  homs:
    name: Homs
    iso: SY-HI
    population: 2147.0
    control:
      SYR: 0.9
      USA: 0.1
    support: {}
  hasakah:
    name: Hasakah
    iso: SY-HA
    population: 1604.0
    control:
      SDF: 0.85
      SYR: 0.15
    support: {}
issues:
  basing:
    name: Russian basing rights
    description: ''''
    scale:
    - 0.0
    - 100.0
    positions:
      RUS: 100.0
      SYR: 50.0
      USA: 0.0
      SDF: 40.0
    salience:
      RUS: 0.9
      SYR: 0.6
      USA: 0.5
      SDF: 0.1
    thresholds:
    - name: eviction_notice
      when: below
      value: 35.0
      effects:
      - kind: base_status
        actor: null
        other: null
        base: null
        bases:
        - tartus
        region: null
        issue: null
        goal: null
        field: null
        delta: 0.0
        factor: null
        status: drawdown
        only_status:
        - active
        controller: null
        troops: null
        months: null
        driver: null
        lasting: false
      sentence: Damascus served notice on Russia''s bases.
      hysteresis: null
      rearm: null
      closes: false
    - name: lease_reaffirmed
      when: above
      value: 60.0
      effects:
      - kind: base_status
        actor: null
        other: null
        base: null
        bases:
        - tartus
        region: null
        issue: null
        goal: null
        field: null
        delta: 0.0
        factor: null
        status: active
        only_status:
        - drawdown
        controller: null
        troops: null
        months: null
        driver: null
        lasting: false
      sentence: Damascus reaffirmed Russia''s lease.
      hysteresis: null
      rearm: null
      closes: false
    forecast: median
    status_quo: null
    half_life: null
    closes_when: null
    closed_sentence: null
  integration:
    name: SDF integration
    description: ''''
    scale:
    - 0.0
    - 100.0
    positions:
      SYR: 100.0
      SDF: 20.0
      USA: 60.0
      RUS: 70.0
    salience:
      SYR: 0.8
      SDF: 0.9
      USA: 0.4
      RUS: 0.1
    thresholds: []
    forecast: median
    status_quo: null
    half_life: null
    closes_when: null
    closed_sentence: null
events:
  isis_attack:
    name: ISIS attack
    probability: 0.3
    condition: null
    actors:
    - SYR
    effects:
    - kind: capability
      actor: SYR
      other: null
      base: null
      bases: null
      region: null
      issue: null
      goal: null
      field: economic
      delta: -0.5
      factor: null
      status: null
      only_status: null
      controller: null
      troops: null
      months: null
      driver: null
      lasting: false
    sentence: An ISIS cell attacked a checkpoint in the desert.
    max_times: 0
    rearm: null
    importance: major
    repeat: null
actions:
  hold:
    cost: 0
    relation: 0.0
    amount: 0.0
    economy: 0.0
    self_economy: 0.0
    fighting: 0.0
    refused_relation: 0.0
    min_relation: -1.0
    max_relation: 1.0
    min_military: 0.0
    min_economic: 0.0
    difficulty: 30.0
    betrayal: 0.0
    usd_bn: 0.0
    self_usd_bn: 0.0
  engage:
    cost: 1
    relation: 0.06
    amount: 0.0
    economy: 0.0
    self_economy: 0.0
    fighting: 0.0
    refused_relation: 0.0
    min_relation: -0.7
    max_relation: 1.0
    min_military: 0.0
    min_economic: 0.0
    difficulty: 30.0
    betrayal: 0.0
    usd_bn: 0.0
    self_usd_bn: 0.0
  demand:
    cost: 1
    relation: 0.02
    amount: 0.08
    economy: 0.0
    self_economy: 0.0
    fighting: 0.0
    refused_relation: -0.12
    min_relation: -0.9
    max_relation: 1.0
    min_military: 0.0
    min_economic: 0.0
    difficulty: 30.0
    betrayal: 0.0
    usd_bn: 0.0
    self_usd_bn: 0.0
  concede:
    cost: 1
    relation: 0.03
    amount: 0.1
    economy: 0.0
    self_economy: 0.0
    fighting: 0.0
    refused_relation: 0.0
    min_relation: -1.0
    max_relation: 1.0
    min_military: 0.0
    min_economic: 0.0
    difficulty: 30.0
    betrayal: 0.0
    usd_bn: 0.0
    self_usd_bn: 0.0
  mediate:
    cost: 1
    relation: 0.03
    amount: 0.08
    economy: 0.0
    self_economy: 0.0
    fighting: 0.0
    refused_relation: 0.0
    min_relation: 0.1
    max_relation: 1.0
    min_military: 0.0
    min_economic: 0.0
    difficulty: 30.0
    betrayal: 0.0
    usd_bn: 0.0
    self_usd_bn: 0.0
  recognise:
    cost: 1
    relation: 0.1
    amount: 0.0
    economy: 0.0
    self_economy: 0.0
    fighting: 0.0
    refused_relation: 0.0
    min_relation: -0.5
    max_relation: 0.5
    min_military: 0.0
    min_economic: 0.0
    difficulty: 30.0
    betrayal: 0.0
    usd_bn: 0.0
    self_usd_bn: 0.0
  aid:
    cost: 1
    relation: 0.05
    amount: 0.0
    economy: 0.0
    self_economy: 0.0
    fighting: 0.0
    refused_relation: 0.0
    min_relation: -0.3
    max_relation: 1.0
    min_military: 0.0
    min_economic: 10.0
    difficulty: 30.0
    betrayal: 0.0
    usd_bn: 0.12
    self_usd_bn: -0.12
  invest:
    cost: 2
    relation: 0.05
    amount: 0.0
    economy: 0.0
    self_economy: 0.0
    fighting: 0.0
    refused_relation: 0.0
    min_relation: 0.0
    max_relation: 1.0
    min_military: 0.0
    min_economic: 15.0
    difficulty: 30.0
    betrayal: 0.0
    usd_bn: 0.8
    self_usd_bn: -0.4
  sanction:
    cost: 1
    relation: -0.08
    amount: 0.0
    economy: 0.0
    self_economy: 0.0
    fighting: 0.0
    refused_relation: 0.0
    min_relation: -1.0
    max_relation: 0.0
    min_military: 0.0
    min_economic: 10.0
    difficulty: 30.0
    betrayal: 0.0
    usd_bn: -0.2
    self_usd_bn: -0.1
  lift_sanctions:
    cost: 1
    relation: 0.08
    amount: 0.0
    economy: 0.0
    self_economy: 0.0
    fighting: 0.0
    refused_relation: 0.0
    min_relation: -1.0
    max_relation: 1.0
    min_military: 0.0
    min_economic: 0.0
    difficulty: 30.0
    betrayal: 0.0
    usd_bn: 0.2
    self_usd_bn: 0.1
  deploy:
    cost: 1
    relation: 0.0
    amount: 0.15
    economy: 0.0
    self_economy: 0.0
    fighting: 0.0
    refused_relation: 0.0
    min_relation: -1.0
    max_relation: 1.0
    min_military: 5.0
    min_economic: 0.0
    difficulty: 30.0
    betrayal: 0.0
    usd_bn: 0.0
    self_usd_bn: 0.0
  withdraw:
    cost: 1
    relation: 0.05
    amount: 0.25
    economy: 0.0
    self_economy: 0.0
    fighting: 0.0
    refused_relation: 0.0
    min_relation: -1.0
    max_relation: 1.0
    min_military: 0.0
    min_economic: 0.0
    difficulty: 30.0
    betrayal: 0.0
    usd_bn: 0.0
    self_usd_bn: 0.0
  strike:
    cost: 1
    relation: -0.1
    amount: 0.2
    economy: 0.0
    self_economy: 0.0
    fighting: 0.25
    refused_relation: 0.0
    min_relation: -1.0
    max_relation: 1.0
    min_military: 10.0
    min_economic: 0.0
    difficulty: 30.0
    betrayal: 0.5
    usd_bn: 0.0
    self_usd_bn: 0.0
  support_proxy:
    cost: 1
    relation: 0.05
    amount: 0.1
    economy: 0.0
    self_economy: 0.0
    fighting: 0.0
    refused_relation: 0.0
    min_relation: 0.2
    max_relation: 1.0
    min_military: 10.0
    min_economic: 0.0
    difficulty: 30.0
    betrayal: 0.0
    usd_bn: 0.0
    self_usd_bn: 0.0
  patrol:
    cost: 1
    relation: 0.04
    amount: 0.05
    economy: 0.0
    self_economy: 0.0
    fighting: 0.0
    refused_relation: 0.0
    min_relation: 0.3
    max_relation: 1.0
    min_military: 5.0
    min_economic: 0.0
    difficulty: 30.0
    betrayal: 0.0
    usd_bn: 0.0
    self_usd_bn: 0.0
  seize:
    cost: 2
    relation: -0.25
    amount: 0.3
    economy: 0.0
    self_economy: 0.0
    fighting: 0.5
    refused_relation: 0.0
    min_relation: -1.0
    max_relation: 1.0
    min_military: 10.0
    min_economic: 0.0
    difficulty: 15.0
    betrayal: 0.5
    usd_bn: 0.0
    self_usd_bn: 0.0
  attack:
    cost: 2
    relation: -0.2
    amount: 0.4
    economy: 0.0
    self_economy: 0.0
    fighting: 0.5
    refused_relation: 0.0
    min_relation: -1.0
    max_relation: 1.0
    min_military: 10.0
    min_economic: 0.0
    difficulty: 30.0
    betrayal: 0.5
    usd_bn: 0.0
    self_usd_bn: 0.0
  consolidate:
    cost: 1
    relation: 0.05
    amount: 0.0
    economy: 0.0
    self_economy: 0.0
    fighting: 0.0
    refused_relation: 0.0
    min_relation: -1.0
    max_relation: 1.0
    min_military: 0.0
    min_economic: 0.0
    difficulty: 30.0
    betrayal: 0.0
    usd_bn: 0.0
    self_usd_bn: 0.0
params:
  tullock_k: 1.5
  drift: 0.05
  balance: 0.04
  fighting_decay: 0.35
  open_fighting: 0.5
  drawdown_rate: 0.2
  collapse_garrison: 0.08
  control_rate: 0.0
  garrison_presence: 0.15
  size_weights:
    military: 0.5
    economic: 0.3
    diplomatic: 0.2
  bargaining_q: 1.0
  bargaining_t: 1.0
  engagement_memory: 0.7
  alliance_switch: true
ground:
  consent:
    bias: 0.0
    relation: 2.0
    payments: 1.0
    talks: 1.5
    value: 1.0
    bloc: 0.5
    risk: 0.5
  payments:
    decay: 0.15
    aid: 1.0
    invest: 2.0
    support_proxy: 1.0
    concede: 1.0
  territory:
    defender_advantage: 1.5
    decisiveness: 2.0
    commitment: 0.3
    foothold: 0.02
    min_share: 0.02
    attrition: 0.05
    max_loss: 0.1
    regeneration: 0.1
    ceasefire_months: 3
    ceasefire_fighting: 0.1
    attrition_weight: 1.0
  economy:
    gdp_at_100: 28780.0
    max_growth: 0.0117
    max_fall: 0.029
  upkeep:
    strain_rate: 0.5
sanctions:
- USA-RUS
initial_us_engagement: 0.3
roles:
  russia: null
  syria: null
  usa: null
  kurds: null
  turkey: null
talks:
  half_life: 6.0
  status_quo_weight: 0.2
  tell_move: 10.0
  major_move: 25.0
story:
  epsilon_position: 0.5
  epsilon_relation: 0.005
  minor_kinds:
  - engage
  - aid
  - invest
  - support_proxy
  - patrol
  - deploy
  - withdraw
  - demand
  - concede
  - mediate
  - order_dropped
alignment:
  blocs: 4
  outside: []
  may_abstain: []
  switch_cost: 0.05
  rule: energy
  initial: landscape
  weights:
    ties: 1.0
    shared_threat: 1.0
    threat: 1.0
    economic: 1.0
    affinity: 1.0
    relations: 0.5
  decay:
    threat: 0.109
    economic: 0.056
  ties: {}
  threat: {}
  economic: {}
  affinity: {}
  basing: {}
  orders:
    aid:
      ties: 0.0
      threat: 0.0
      economic: 0.03
    invest:
      ties: 0.0
      threat: 0.0
      economic: 0.05
    lift_sanctions:
      ties: 0.0
      threat: 0.0
      economic: 0.03
    sanction:
      ties: 0.0
      threat: 0.02
      economic: -0.05
    recognise:
      ties: 0.05
      threat: 0.0
      economic: 0.0
    support_proxy:
      ties: 0.02
      threat: 0.0
      economic: 0.0
    patrol:
      ties: 0.01
      threat: 0.0
      economic: 0.0
    strike:
      ties: 0.0
      threat: 0.1
      economic: 0.0
    seize:
      ties: 0.0
      threat: 0.15
      economic: 0.0
    attack:
      ties: 0.0
      threat: 0.15
      economic: 0.0
  memory: 6
  cause_terms: 2
','3fc6cae4e7cbd7f0529bdeb19a94533d8d03948349b6f86912302ccd5a559c33',11,6,'[]','{}','[{"turn":1,"orders":{"RUS":[{"kind":"aid","target":"SYR"},{"kind":"concede","target":"USA","issue":"basing"}],"SYR":[{"kind":"patrol","target":"USA","region":"homs"},{"kind":"concede","target":"USA","issue":"basing"}],"USA":[{"kind":"patrol","target":"SYR","region":"homs"},{"kind":"aid","target":"SYR"},{"kind":"deploy","base":"al_tanf"}],"SDF":[{"kind":"attack","target":"SYR","region":"hasakah"}]}},{"turn":2,"orders":{"RUS":[{"kind":"deploy","base":"tartus"},{"kind":"recognise","target":"SYR"}],"USA":[{"kind":"engage","target":"SYR"},{"kind":"deploy","base":"al_tanf"},{"kind":"recognise","target":"SYR"}],"SDF":[{"kind":"demand","target":"USA","issue":"integration"}]}},{"turn":3,"orders":{"RUS":[{"kind":"support_proxy","target":"SYR"},{"kind":"deploy","base":"tartus"}],"SYR":[{"kind":"concede","target":"USA","issue":"integration"}],"USA":[{"kind":"mediate","target":"SYR","other":"SDF"},{"kind":"concede","target":"SYR","issue":"integration"}]}}]',3,'ready','2025-12-01T12:00:00+00:00','2025-12-01T12:00:00+00:00','1c3bf5b73ecb78a84105689c07405d5fb2eb86bc5e2830cd1a48fadd2d7926dc');
INSERT INTO "games" VALUES('v2human','mini','Mini test scenario','name: Mini test scenario
description: Four actors, three regions, three bases, two issues.
start: 2025-12
turns: 6
actors:
  RUS:
    name: Russia
    color: ''#888888''
    western: false
    capabilities:
      military: 40.0
      economic: 20.0
      diplomatic: 30.0
    action_points: 2
    goals:
      tartus:
        kind: hold_base
        weight: 2.0
        base: tartus
        actor: null
        target: null
        direction: null
        regions: null
        issue: null
      ties:
        kind: relation
        weight: 1.0
        base: null
        actor: SYR
        target: 0.6
        direction: null
        regions: null
        issue: null
      basing:
        kind: issue
        weight: 1.0
        base: null
        actor: null
        target: null
        direction: null
        regions: null
        issue: basing
    policy:
      kind: utility
      temperature: 0.15
      rules: []
      script: {}
      fallback: hold
    actions: null
    budget: null
    potential: null
  SYR:
    name: Syria
    color: ''#888888''
    western: false
    capabilities:
      military: 20.0
      economic: 5.0
      diplomatic: 20.0
    action_points: 2
    goals:
      west:
        kind: relation
        weight: 1.0
        base: null
        actor: USA
        target: 0.7
        direction: null
        regions: null
        issue: null
      land:
        kind: influence
        weight: 1.5
        base: null
        actor: null
        target: null
        direction: null
        regions: null
        issue: null
      basing:
        kind: issue
        weight: 1.0
        base: null
        actor: null
        target: null
        direction: null
        regions: null
        issue: basing
      calm:
        kind: stability
        weight: 1.0
        base: null
        actor: null
        target: null
        direction: null
        regions: null
        issue: null
    policy:
      kind: utility
      temperature: 0.15
      rules: []
      script: {}
      fallback: hold
    actions: null
    budget: null
    potential: null
  USA:
    name: United States
    color: ''#888888''
    western: true
    capabilities:
      military: 60.0
      economic: 80.0
      diplomatic: 70.0
    action_points: 3
    goals:
      tanf:
        kind: hold_base
        weight: 1.0
        base: al_tanf
        actor: null
        target: null
        direction: null
        regions: null
        issue: null
      ties:
        kind: relation
        weight: 1.0
        base: null
        actor: SYR
        target: 0.6
        direction: null
        regions: null
        issue: null
      deny:
        kind: deny_base
        weight: 0.5
        base: tartus
        actor: RUS
        target: null
        direction: null
        regions: null
        issue: null
    policy:
      kind: utility
      temperature: 0.15
      rules: []
      script: {}
      fallback: hold
    actions: null
    budget: null
    potential: null
  SDF:
    name: SDF
    color: ''#888888''
    western: false
    capabilities:
      military: 15.0
      economic: 5.0
      diplomatic: 5.0
    action_points: 2
    goals:
      land:
        kind: influence
        weight: 2.0
        base: null
        actor: null
        target: null
        direction: null
        regions:
        - hasakah
        issue: null
      autonomy:
        kind: issue
        weight: 1.0
        base: null
        actor: null
        target: null
        direction: null
        regions: null
        issue: integration
    policy:
      kind: utility
      temperature: 0.15
      rules: []
      script: {}
      fallback: hold
    actions: null
    budget: null
    potential: null
relations:
  RUS-SYR: 0.1
  RUS-USA: -0.6
  SYR-USA: 0.3
  SYR-SDF: -0.2
  USA-SDF: 0.5
  RUS-SDF: 0.0
affinity: {}
bases:
  tartus:
    name: Tartus
    lat: 34.915
    lon: 35.874
    region: tartus
    kind: naval
    controller: RUS
    host: null
    garrison: 0.6
    status: active
    value:
      RUS: 1.0
      SYR: 0.4
    troops: 0.0
    held_by_force: false
    talks: null
    talks_favours: high
    lease:
      renew: 0.5
      reduce: 0.35
      evict: 0.2
      reprieve: 0.3
      cap: 0.4
      notice_months: 6
      on_reduced: []
      on_notice: []
      on_reprieve: []
      on_renewed: []
      on_handed_over: []
  al_tanf:
    name: Al-Tanf
    lat: 33.50583
    lon: 38.61778
    region: homs
    kind: garrison
    controller: USA
    host: null
    garrison: 0.5
    status: active
    value:
      USA: 0.6
    troops: 0.0
    held_by_force: false
    talks: null
    talks_favours: high
    lease:
      renew: 0.5
      reduce: 0.35
      evict: 0.2
      reprieve: 0.3
      cap: 0.4
      notice_months: 6
      on_reduced: []
      on_notice: []
      on_reprieve: []
      on_renewed: []
      on_handed_over: []
  qamishli:
    name: Qamishli
    lat: 37.02056
    lon: 41.19139
    region: hasakah
    kind: airport
    controller: SDF
    host: SDF
    garrison: 0.3
    status: active
    value:
      SDF: 0.5
      SYR: 0.5
    troops: 0.0
    held_by_force: false
    talks: null
    talks_favours: high
    lease:
      renew: 0.5
      reduce: 0.35
      evict: 0.2
      reprieve: 0.3
      cap: 0.4
      notice_months: 6
      on_reduced: []
      on_notice: []
      on_reprieve: []
      on_renewed: []
      on_handed_over: []
regions:
  tartus:
    name: Tartus
    iso: SY-TA
    population: 954.0
    control:
      SYR: 1.0
    support: {}
  homs:
    name: Homs
    iso: SY-HI
    population: 2147.0
    control:
      SYR: 0.9
      USA: 0.1
    support: {}
  hasakah:
    name: Hasakah
    iso: SY-HA
    population: 1604.0
    control:
      SDF: 0.85
      SYR: 0.15
    support: {}
issues:
  basing:
    name: Russian basing rights
    description: ''''
    scale:
    - 0.0
    - 100.0
    positions:
      RUS: 100.0
      SYR: 50.0
      USA: 0.0
      SDF: 40.0
    salience:
      RUS: 0.9
      SYR: 0.6
      USA: 0.5
      SDF: 0.1
    thresholds:
    - name: eviction_notice
      when: below
      value: 35.0
      effects:
      - kind: base_status
        actor: null
        other: null
        base: null
        bases:
        - tartus
        region: null
        issue: null
        goal: null
        field: null
        delta: 0.0
        factor: null
        status: drawdown
        only_status:
        - active
        controller: null
        troops: null
        months: null
        driver: null
        lasting: false
      sentence: Damascus served notice on Russia''s bases.
      hysteresis: null
      rearm: null
      closes: false
    - name: lease_reaffirmed
      when: above
      value: 60.0
      effects:
      - kind: base_status
        actor: null
        other: null
        base: null
        bases:
        - tartus
        region: null
        issue: null
        goal: null
        field: null
        delta: 0.0
        factor: null
        status: active
        only_status:
        - drawdown
        controller: null
        troops: null
        months: null
        driver: null
        lasting: false
      sentence: Damascus reaffirmed Russia''s lease.
      hysteresis: null
      rearm: null
      closes: false
    forecast: median
    status_quo: null
    half_life: null
    closes_when: null
    closed_sentence: null
  integration:
    name: SDF integration
    description: ''''
    scale:
    - 0.0
    - 100.0
    positions:
      SYR: 100.0
      SDF: 20.0
      USA: 60.0
      RUS: 70.0
    salience:
      SYR: 0.8
      SDF: 0.9
      USA: 0.4
      RUS: 0.1
    thresholds: []
    forecast: median
    status_quo: null
    half_life: null
    closes_when: null
    closed_sentence: null
events:
  isis_attack:
    name: ISIS attack
    probability: 0.3
    condition: null
    actors:
    - SYR
    effects:
    - kind: capability
      actor: SYR
      other: null
      base: null
      bases: null
      region: null
      issue: null
      goal: null
      field: economic
      delta: -0.5
      factor: null
      status: null
      only_status: null
      controller: null
      troops: null
      months: null
      driver: null
      lasting: false
    sentence: An ISIS cell attacked a checkpoint in the desert.
    max_times: 0
    rearm: null
    importance: major
    repeat: null
actions:
  hold:
    cost: 0
    relation: 0.0
    amount: 0.0
    economy: 0.0
    self_economy: 0.0
    fighting: 0.0
    refused_relation: 0.0
    min_relation: -1.0
    max_relation: 1.0
    min_military: 0.0
    min_economic: 0.0
    difficulty: 30.0
    betrayal: 0.0
    usd_bn: 0.0
    self_usd_bn: 0.0
  engage:
    cost: 1
    relation: 0.06
    amount: 0.0
    economy: 0.0
    self_economy: 0.0
    fighting: 0.0
    refused_relation: 0.0
    min_relation: -0.7
    max_relation: 1.0
    min_military: 0.0
    min_economic: 0.0
    difficulty: 30.0
    betrayal: 0.0
    usd_bn: 0.0
    self_usd_bn: 0.0
  demand:
    cost: 1
    relation: 0.02
    amount: 0.08
    economy: 0.0
    self_economy: 0.0
    fighting: 0.0
    refused_relation: -0.12
    min_relation: -0.9
    max_relation: 1.0
    min_military: 0.0
    min_economic: 0.0
    difficulty: 30.0
    betrayal: 0.0
    usd_bn: 0.0
    self_usd_bn: 0.0
  concede:
    cost: 1
    relation: 0.03
    amount: 0.1
    economy: 0.0
    self_economy: 0.0
    fighting: 0.0
    refused_relation: 0.0
    min_relation: -1.0
    max_relation: 1.0
    min_military: 0.0
    min_economic: 0.0
    difficulty: 30.0
    betrayal: 0.0
    usd_bn: 0.0
    self_usd_bn: 0.0
  mediate:
    cost: 1
    relation: 0.03
    amount: 0.08
    economy: 0.0
    self_economy: 0.0
    fighting: 0.0
    refused_relation: 0.0
    min_relation: 0.1
    max_relation: 1.0
    min_military: 0.0
    min_economic: 0.0
    difficulty: 30.0
    betrayal: 0.0
    usd_bn: 0.0
    self_usd_bn: 0.0
  recognise:
    cost: 1
    relation: 0.1
    amount: 0.0
    economy: 0.0
    self_economy: 0.0
    fighting: 0.0
    refused_relation: 0.0
    min_relation: -0.5
    max_relation: 0.5
    min_military: 0.0
    min_economic: 0.0
    difficulty: 30.0
    betrayal: 0.0
    usd_bn: 0.0
    self_usd_bn: 0.0
  aid:
    cost: 1
    relation: 0.05
    amount: 0.0
    economy: 0.0
    self_economy: 0.0
    fighting: 0.0
    refused_relation: 0.0
    min_relation: -0.3
    max_relation: 1.0
    min_military: 0.0
    min_economic: 10.0
    difficulty: 30.0
    betrayal: 0.0
    usd_bn: 0.12
    self_usd_bn: -0.12
  invest:
    cost: 2
    relation: 0.05
    amount: 0.0
    economy: 0.0
    self_economy: 0.0
    fighting: 0.0
    refused_relation: 0.0
    min_relation: 0.0
    max_relation: 1.0
    min_military: 0.0
    min_economic: 15.0
    difficulty: 30.0
    betrayal: 0.0
    usd_bn: 0.8
    self_usd_bn: -0.4
  sanction:
    cost: 1
    relation: -0.08
    amount: 0.0
    economy: 0.0
    self_economy: 0.0
    fighting: 0.0
    refused_relation: 0.0
    min_relation: -1.0
    max_relation: 0.0
    min_military: 0.0
    min_economic: 10.0
    difficulty: 30.0
    betrayal: 0.0
    usd_bn: -0.2
    self_usd_bn: -0.1
  lift_sanctions:
    cost: 1
    relation: 0.08
    amount: 0.0
    economy: 0.0
    self_economy: 0.0
    fighting: 0.0
    refused_relation: 0.0
    min_relation: -1.0
    max_relation: 1.0
    min_military: 0.0
    min_economic: 0.0
    difficulty: 30.0
    betrayal: 0.0
    usd_bn: 0.2
    self_usd_bn: 0.1
  deploy:
    cost: 1
    relation: 0.0
    amount: 0.15
    economy: 0.0
    self_economy: 0.0
    fighting: 0.0
    refused_relation: 0.0
    min_relation: -1.0
    max_relation: 1.0
    min_military: 5.0
    min_economic: 0.0
    difficulty: 30.0
    betrayal: 0.0
    usd_bn: 0.0
    self_usd_bn: 0.0
  withdraw:
    cost: 1
    relation: 0.05
    amount: 0.25
    economy: 0.0
    self_economy: 0.0
    fighting: 0.0
    refused_relation: 0.0
    min_relation: -1.0
    max_relation: 1.0
    min_military: 0.0
    min_economic: 0.0
    difficulty: 30.0
    betrayal: 0.0
    usd_bn: 0.0
    self_usd_bn: 0.0
  strike:
    cost: 1
    relation: -0.1
    amount: 0.2
    economy: 0.0
    self_economy: 0.0
    fighting: 0.25
    refused_relation: 0.0
    min_relation: -1.0
    max_relation: 1.0
    min_military: 10.0
    min_economic: 0.0
    difficulty: 30.0
    betrayal: 0.5
    usd_bn: 0.0
    self_usd_bn: 0.0
  support_proxy:
    cost: 1
    relation: 0.05
    amount: 0.1
    economy: 0.0
    self_economy: 0.0
    fighting: 0.0
    refused_relation: 0.0
    min_relation: 0.2
    max_relation: 1.0
    min_military: 10.0
    min_economic: 0.0
    difficulty: 30.0
    betrayal: 0.0
    usd_bn: 0.0
    self_usd_bn: 0.0
  patrol:
    cost: 1
    relation: 0.04
    amount: 0.05
    economy: 0.0
    self_economy: 0.0
    fighting: 0.0
    refused_relation: 0.0
    min_relation: 0.3
    max_relation: 1.0
    min_military: 5.0
    min_economic: 0.0
    difficulty: 30.0
    betrayal: 0.0
    usd_bn: 0.0
    self_usd_bn: 0.0
  seize:
    cost: 2
    relation: -0.25
    amount: 0.3
    economy: 0.0
    self_economy: 0.0
    fighting: 0.5
    refused_relation: 0.0
    min_relation: -1.0
    max_relation: 1.0
    min_military: 10.0
    min_economic: 0.0
    difficulty: 15.0
    betrayal: 0.5
    usd_bn: 0.0
    self_usd_bn: 0.0
  attack:
    cost: 2
    relation: -0.2
    amount: 0.4
    economy: 0.0
    self_economy: 0.0
    fighting: 0.5
    refused_relation: 0.0
    min_relation: -1.0
    max_relation: 1.0
    min_military: 10.0
    min_economic: 0.0
    difficulty: 30.0
    betrayal: 0.5
    usd_bn: 0.0
    self_usd_bn: 0.0
  consolidate:
    cost: 1
    relation: 0.05
    amount: 0.0
    economy: 0.0
    self_economy: 0.0
    fighting: 0.0
    refused_relation: 0.0
    min_relation: -1.0
    max_relation: 1.0
    min_military: 0.0
    min_economic: 0.0
    difficulty: 30.0
    betrayal: 0.0
    usd_bn: 0.0
    self_usd_bn: 0.0
params:
  tullock_k: 1.5
  drift: 0.05
  balance: 0.04
  fighting_decay: 0.35
  open_fighting: 0.5
  drawdown_rate: 0.2
  collapse_garrison: 0.08
  control_rate: 0.0
  garrison_presence: 0.15
  size_weights:
    military: 0.5
    economic: 0.3
    diplomatic: 0.2
  bargaining_q: 1.0
  bargaining_t: 1.0
  engagement_memory: 0.7
  alliance_switch: true
ground:
  consent:
    bias: 0.0
    relation: 2.0
    payments: 1.0
    talks: 1.5
    value: 1.0
    bloc: 0.5
    risk: 0.5
  payments:
    decay: 0.15
    aid: 1.0
    invest: 2.0
    support_proxy: 1.0
    concede: 1.0
  territory:
    defender_advantage: 1.5
    decisiveness: 2.0
    commitment: 0.3
    foothold: 0.02
    min_share: 0.02
    attrition: 0.05
    max_loss: 0.1
    regeneration: 0.1
    ceasefire_months: 3
    ceasefire_fighting: 0.1
    attrition_weight: 1.0
  economy:
    gdp_at_100: 28780.0
    max_growth: 0.0117
    max_fall: 0.029
  upkeep:
    strain_rate: 0.5
sanctions:
- USA-RUS
initial_us_engagement: 0.3
roles:
  russia: null
  syria: null
  usa: null
  kurds: null
  turkey: null
talks:
  half_life: 6.0
  status_quo_weight: 0.2
  tell_move: 10.0
  major_move: 25.0
story:
  epsilon_position: 0.5
  epsilon_relation: 0.005
  minor_kinds:
  - engage
  - aid
  - invest
  - support_proxy
  - patrol
  - deploy
  - withdraw
  - demand
  - concede
  - mediate
  - order_dropped
alignment:
  blocs: 4
  outside: []
  may_abstain: []
  switch_cost: 0.05
  rule: energy
  initial: landscape
  weights:
    ties: 1.0
    shared_threat: 1.0
    threat: 1.0
    economic: 1.0
    affinity: 1.0
    relations: 0.5
  decay:
    threat: 0.109
    economic: 0.056
  ties: {}
  threat: {}
  economic: {}
  affinity: {}
  basing: {}
  orders:
    aid:
      ties: 0.0
      threat: 0.0
      economic: 0.03
    invest:
      ties: 0.0
      threat: 0.0
      economic: 0.05
    lift_sanctions:
      ties: 0.0
      threat: 0.0
      economic: 0.03
    sanction:
      ties: 0.0
      threat: 0.02
      economic: -0.05
    recognise:
      ties: 0.05
      threat: 0.0
      economic: 0.0
    support_proxy:
      ties: 0.02
      threat: 0.0
      economic: 0.0
    patrol:
      ties: 0.01
      threat: 0.0
      economic: 0.0
    strike:
      ties: 0.0
      threat: 0.1
      economic: 0.0
    seize:
      ties: 0.0
      threat: 0.15
      economic: 0.0
    attack:
      ties: 0.0
      threat: 0.15
      economic: 0.0
  memory: 6
  cause_terms: 2
','3fc6cae4e7cbd7f0529bdeb19a94533d8d03948349b6f86912302ccd5a559c33',11,6,'["SYR"]','{"SYR":"97a3555877fbfaf6a90e4e3c49c0ecbc130c6de3cc7599bc0bd6c781e6f6c964"}','[{"turn":1,"orders":{"RUS":[{"kind":"aid","target":"SYR"},{"kind":"concede","target":"USA","issue":"basing"}],"USA":[{"kind":"patrol","target":"SYR","region":"homs"},{"kind":"aid","target":"SYR"},{"kind":"deploy","base":"al_tanf"}],"SDF":[{"kind":"attack","target":"SYR","region":"hasakah"}]}},{"turn":2,"orders":{"RUS":[{"kind":"deploy","base":"tartus"},{"kind":"recognise","target":"SYR"}],"USA":[{"kind":"invest","target":"SYR"},{"kind":"aid","target":"SYR"}],"SDF":[{"kind":"demand","target":"USA","issue":"integration"}]}}]',2,'waiting','2025-12-01T12:00:00+00:00','2025-12-01T12:00:00+00:00','72e84a3e025f0ba76adc7b771f255c21d233dc0e689ec6590de13d94c256b6a2');
CREATE TABLE pending (
            game_id   TEXT NOT NULL REFERENCES games(id) ON DELETE CASCADE,
            turn      INTEGER NOT NULL,               -- the coming turn the orders are for
            actor     TEXT NOT NULL,
            orders    TEXT NOT NULL,                  -- JSON list of order dicts
            submitted TEXT NOT NULL,
            seq       INTEGER NOT NULL,               -- submission order, to re-apply in the same order
            PRIMARY KEY (game_id, turn, actor)
        );
CREATE TABLE snapshots (
            game_id TEXT NOT NULL REFERENCES games(id) ON DELETE CASCADE,
            turn    INTEGER NOT NULL,
            state   TEXT NOT NULL,                    -- JSON model.state() after the turn
            record  TEXT NOT NULL,                    -- JSON indicator row of the turn
            PRIMARY KEY (game_id, turn)
        );
INSERT INTO "snapshots" VALUES('v2ai',0,'{"turn":0,"date":"2025-11","max_turns":6,"done":false,"indicators":{"russia_bases_held":1,"syria_alignment":0.19999999999999998,"russia_isolation":0.7098930481283422,"russia_bloc_opposition":1.0,"kurdish_conflict":0.0,"sdf_damascus_fighting":0,"us_engagement":0.3,"alliance_shifts":0,"blocs_in_use":2,"syria_with_west":1},"actors":[{"id":"RUS","name":"Russia","color":"#888888","capabilities":{"military":40.0,"economic":20.0,"diplomatic":30.0},"size":32.0,"bloc":0,"strain":0.0,"utility":2.540464807525062,"human":false,"action_points":2},{"id":"SYR","name":"Syria","color":"#888888","capabilities":{"military":20.0,"economic":5.0,"diplomatic":20.0},"size":15.5,"bloc":1,"strain":0.0,"utility":2.5968862911795965,"human":false,"action_points":2},{"id":"USA","name":"United States","color":"#888888","capabilities":{"military":60.0,"economic":80.0,"diplomatic":70.0},"size":68.0,"bloc":1,"strain":0.0,"utility":1.5,"human":false,"action_points":3},{"id":"SDF","name":"SDF","color":"#888888","capabilities":{"military":15.0,"economic":5.0,"diplomatic":5.0},"size":10.0,"bloc":1,"strain":0.0,"utility":2.3,"human":false,"action_points":2}],"relations":[[0.0,0.1,-0.6,0.0],[0.1,0.0,0.3,-0.2],[-0.6,0.3,0.0,0.5],[0.0,-0.2,0.5,0.0]],"bases":[{"id":"tartus","name":"Tartus","lat":34.915,"lon":35.874,"region":"tartus","kind":"naval","controller":"RUS","status":"active","host":"SYR","consent":0.45016600268752216,"garrison":0.6,"value":{"RUS":1.0,"SYR":0.4}},{"id":"al_tanf","name":"Al-Tanf","lat":33.50583,"lon":38.61778,"region":"homs","kind":"garrison","controller":"USA","status":"active","host":"SYR","consent":0.7502601055951177,"garrison":0.5,"value":{"USA":0.6}},{"id":"qamishli","name":"Qamishli","lat":37.02056,"lon":41.19139,"region":"hasakah","kind":"airport","controller":"SDF","status":"active","host":"SDF","consent":1.0,"garrison":0.3,"value":{"SDF":0.5,"SYR":0.5}}],"regions":[{"id":"tartus","name":"Tartus","iso":"SY-TA","control":{"SYR":1.0}},{"id":"homs","name":"Homs","iso":"SY-HI","control":{"SYR":0.9,"USA":0.1}},{"id":"hasakah","name":"Hasakah","iso":"SY-HA","control":{"SYR":0.15,"SDF":0.85}}],"issues":[{"id":"basing","name":"Russian basing rights","forecast":50.0,"statistic":"median","closed":false,"status_quo":null,"scale":[0.0,100.0],"positions":{"RUS":100.0,"SYR":50.0,"USA":0.0,"SDF":40.0}},{"id":"integration","name":"SDF integration","forecast":60.0,"statistic":"median","closed":false,"status_quo":null,"scale":[0.0,100.0],"positions":{"RUS":70.0,"SYR":100.0,"USA":60.0,"SDF":20.0}}],"events":[],"waiting_for":[]}','{"turn":0,"date":"2025-11","russia_bases_held":1,"syria_alignment":0.19999999999999998,"russia_isolation":0.7098930481283422,"russia_bloc_opposition":1.0,"kurdish_conflict":0.0,"sdf_damascus_fighting":0,"us_engagement":0.3,"alliance_shifts":0,"blocs_in_use":2,"syria_with_west":1,"base.tartus.controller":"RUS","base.tartus.status":"active","base.tartus.garrison":0.6,"base.tartus.host":"SYR","base.tartus.consent":0.45016600268752216,"base.al_tanf.controller":"USA","base.al_tanf.status":"active","base.al_tanf.garrison":0.5,"base.al_tanf.host":"SYR","base.al_tanf.consent":0.7502601055951177,"base.qamishli.controller":"SDF","base.qamishli.status":"active","base.qamishli.garrison":0.3,"base.qamishli.host":"SDF","base.qamishli.consent":1.0,"region.tartus.RUS":0.0,"region.tartus.SYR":1.0,"region.tartus.USA":0.0,"region.tartus.SDF":0.0,"region.homs.RUS":0.0,"region.homs.SYR":0.9,"region.homs.USA":0.1,"region.homs.SDF":0.0,"region.hasakah.RUS":0.0,"region.hasakah.SYR":0.15,"region.hasakah.USA":0.0,"region.hasakah.SDF":0.85,"relation.RUS.SYR":0.1,"relation.RUS.USA":-0.6,"relation.RUS.SDF":0.0,"relation.SYR.USA":0.3,"relation.SYR.SDF":-0.2,"relation.USA.SDF":0.5,"utility.RUS":2.540464807525062,"utility.SYR":2.5968862911795965,"utility.USA":1.5,"utility.SDF":2.3,"bloc.RUS":0,"bloc.SYR":1,"bloc.USA":1,"bloc.SDF":1,"alignment.RUS":-0.9268004722550178,"alignment.SYR":-0.59375,"alignment.USA":-0.33448873483535524,"alignment.SDF":-0.8328840970350404,"issue.basing.forecast":50.0,"issue.integration.forecast":60.0,"strain.RUS":0.0,"strain.SYR":0.0,"strain.USA":0.0,"strain.SDF":0.0,"capability.RUS.military":40.0,"capability.RUS.economic":20.0,"capability.SYR.military":20.0,"capability.SYR.economic":5.0,"capability.USA.military":60.0,"capability.USA.economic":80.0,"capability.SDF.military":15.0,"capability.SDF.economic":5.0}');
INSERT INTO "snapshots" VALUES('v2ai',1,'{"turn":1,"date":"2025-12","max_turns":6,"done":false,"indicators":{"russia_bases_held":1,"syria_alignment":0.3040339999999999,"russia_isolation":0.69589407486631,"russia_bloc_opposition":1.0,"kurdish_conflict":0.5,"sdf_damascus_fighting":1,"us_engagement":0.41000000000000003,"alliance_shifts":0,"blocs_in_use":2,"syria_with_west":1},"actors":[{"id":"RUS","name":"Russia","color":"#888888","capabilities":{"military":40.0,"economic":19.999,"diplomatic":30.0},"size":32.0,"bloc":0,"strain":0.0,"utility":2.6222559999999997,"human":false,"action_points":2},{"id":"SYR","name":"Syria","color":"#888888","capabilities":{"military":19.662,"economic":4.927,"diplomatic":20.0},"size":15.5,"bloc":1,"strain":0.0,"utility":2.1124940382571733,"human":false,"action_points":2},{"id":"USA","name":"United States","color":"#888888","capabilities":{"military":60.0,"economic":80.0,"diplomatic":70.0},"size":68.0,"bloc":1,"strain":0.0,"utility":1.70629,"human":false,"action_points":3},{"id":"SDF","name":"SDF","color":"#888888","capabilities":{"military":14.55,"economic":5.0,"diplomatic":5.0},"size":10.0,"bloc":1,"strain":0.0,"utility":2.42,"human":false,"action_points":2}],"relations":[[0.0,0.1423,-0.5701,-0.0069],[0.1423,0.0,0.4463,-0.3854],[-0.5701,0.4463,0.0,0.4963],[-0.0069,-0.3854,0.4963,0.0]],"bases":[{"id":"tartus","name":"Tartus","lat":34.915,"lon":35.874,"region":"tartus","kind":"naval","controller":"RUS","status":"active","host":"SYR","consent":0.6643221956698244,"garrison":0.6,"value":{"RUS":1.0,"SYR":0.4}},{"id":"al_tanf","name":"Al-Tanf","lat":33.50583,"lon":38.61778,"region":"homs","kind":"garrison","controller":"USA","status":"active","host":"SYR","consent":0.8833661828456634,"garrison":0.65,"value":{"USA":0.6}},{"id":"qamishli","name":"Qamishli","lat":37.02056,"lon":41.19139,"region":"hasakah","kind":"airport","controller":"SDF","status":"active","host":"SDF","consent":1.0,"garrison":0.3,"value":{"SDF":0.5,"SYR":0.5}}],"regions":[{"id":"tartus","name":"Tartus","iso":"SY-TA","control":{"SYR":1.0}},{"id":"homs","name":"Homs","iso":"SY-HI","control":{"SYR":0.9,"USA":0.1}},{"id":"hasakah","name":"Hasakah","iso":"SY-HA","control":{"SYR":0.09,"SDF":0.91}}],"issues":[{"id":"basing","name":"Russian basing rights","forecast":40.0,"statistic":"median","closed":false,"status_quo":null,"scale":[0.0,100.0],"positions":{"RUS":84.545,"SYR":40.0,"USA":4.364,"SDF":35.636}},{"id":"integration","name":"SDF integration","forecast":60.0,"statistic":"median","closed":false,"status_quo":null,"scale":[0.0,100.0],"positions":{"RUS":68.909,"SYR":95.636,"USA":60.0,"SDF":24.364}}],"events":[{"turn":1,"date":"2025-12","kind":"event","actors":["SYR"],"sentence":"An ISIS cell attacked a checkpoint in the desert.","numbers":{"event":"isis_attack","p":0.3,"draw":0.1286,"effects":"SYR economic -0.5"},"phase":"nature","importance":"major","streak":1,"since":1},{"turn":1,"date":"2025-12","kind":"concede","actors":["RUS","USA"],"sentence":"Russia softened its stance on Russian basing rights towards United States (position 100 to 90; United States at 0); United States welcomed it (relation +0.03 to -0.57).","numbers":{"move":-10.0,"issue":"basing"},"phase":"diplomacy","importance":"minor","streak":1,"since":1},{"turn":1,"date":"2025-12","kind":"concede","actors":["SYR","USA"],"sentence":"Syria softened its stance on Russian basing rights towards United States (position 50 to 40; United States at 0); United States welcomed it (relation +0.03 to +0.33).","numbers":{"move":-10.0,"issue":"basing"},"phase":"diplomacy","importance":"minor","streak":1,"since":1},{"turn":1,"date":"2025-12","kind":"aid","actors":["RUS","SYR"],"sentence":"Russia sent aid to Syria (relation +0.05 to +0.15).","numbers":{"relation":0.15,"delta":0.05},"phase":"economy","importance":"minor","streak":1,"since":1},{"turn":1,"date":"2025-12","kind":"aid","actors":["USA","SYR"],"sentence":"United States sent aid to Syria (relation +0.05 to +0.38).","numbers":{"relation":0.38,"delta":0.05},"phase":"economy","importance":"minor","streak":1,"since":1},{"turn":1,"date":"2025-12","kind":"patrol","actors":["SYR","USA"],"sentence":"Syria patrolled jointly with United States in Homs (relation +0.04 to +0.42).","numbers":{"relation":0.42,"delta":0.04},"phase":"military","importance":"minor","streak":1,"since":1},{"turn":1,"date":"2025-12","kind":"patrol","actors":["USA","SYR"],"sentence":"United States patrolled jointly with Syria in Homs (relation +0.04 to +0.46).","numbers":{"relation":0.46,"delta":0.04},"phase":"military","importance":"minor","streak":1,"since":1},{"turn":1,"date":"2025-12","kind":"deploy","actors":["USA"],"sentence":"United States reinforced its garrison at Al-Tanf (garrison 0.65).","numbers":{"base":"al_tanf","garrison":0.65},"phase":"military","importance":"minor","streak":1,"since":1},{"turn":1,"date":"2025-12","kind":"territory","actors":["SDF","SYR"],"sentence":"SDF took 0.06 of Hasakah from Syria (force 18 vs 3, p=0.94).","numbers":{"region":"hasakah","p":0.9407,"draw":0.404,"force":17.93,"defence":3.0,"taken":0.06,"share":0.91},"phase":"military","importance":"major","streak":1,"since":1},{"turn":1,"date":"2025-12","kind":"attrition","actors":["SDF"],"sentence":"SDF lost 0.5 of its military strength (15.0 -> 14.5) fighting Syria.","numbers":{"loss":0.5,"military":14.5},"phase":"control","importance":"major","streak":1,"since":1}],"waiting_for":[]}','{"turn":1,"date":"2025-12","russia_bases_held":1,"syria_alignment":0.3040339999999999,"russia_isolation":0.69589407486631,"russia_bloc_opposition":1.0,"kurdish_conflict":0.5,"sdf_damascus_fighting":1,"us_engagement":0.41000000000000003,"alliance_shifts":0,"blocs_in_use":2,"syria_with_west":1,"base.tartus.controller":"RUS","base.tartus.status":"active","base.tartus.garrison":0.6,"base.tartus.host":"SYR","base.tartus.consent":0.6643221956698244,"base.al_tanf.controller":"USA","base.al_tanf.status":"active","base.al_tanf.garrison":0.65,"base.al_tanf.host":"SYR","base.al_tanf.consent":0.8833661828456634,"base.qamishli.controller":"SDF","base.qamishli.status":"active","base.qamishli.garrison":0.3,"base.qamishli.host":"SDF","base.qamishli.consent":1.0,"region.tartus.RUS":0.0,"region.tartus.SYR":1.0,"region.tartus.USA":0.0,"region.tartus.SDF":0.0,"region.homs.RUS":0.0,"region.homs.SYR":0.9,"region.homs.USA":0.10000000000000002,"region.homs.SDF":0.0,"region.hasakah.RUS":0.0,"region.hasakah.SYR":0.09,"region.hasakah.USA":0.0,"region.hasakah.SDF":0.9099999999999999,"relation.RUS.SYR":0.14225600000000002,"relation.RUS.USA":-0.57012,"relation.RUS.SDF":-0.0069,"relation.SYR.USA":0.4462899999999999,"relation.SYR.SDF":-0.3854,"relation.USA.SDF":0.49632,"utility.RUS":2.6222559999999997,"utility.SYR":2.1124940382571733,"utility.USA":1.70629,"utility.SDF":2.42,"bloc.RUS":0,"bloc.SYR":1,"bloc.USA":1,"bloc.SDF":1,"alignment.RUS":-0.8725236907961526,"alignment.SYR":-0.5333755805893867,"alignment.USA":-0.41495204434268834,"alignment.SDF":-0.6117808916566814,"issue.basing.forecast":40.0,"issue.integration.forecast":60.0,"strain.RUS":0.0,"strain.SYR":0.0,"strain.USA":0.0,"strain.SDF":0.0,"capability.RUS.military":40.0,"capability.RUS.economic":19.998957582285144,"capability.SYR.military":19.6625,"capability.SYR.economic":4.926966612430005,"capability.USA.military":60.0,"capability.USA.economic":79.99973940193831,"capability.SDF.military":14.55,"capability.SDF.economic":5.0}');
INSERT INTO "snapshots" VALUES('v2ai',2,'{"turn":2,"date":"2026-01","max_turns":6,"done":false,"indicators":{"russia_bases_held":1,"syria_alignment":0.35702930152159984,"russia_isolation":0.6896286849096593,"russia_bloc_opposition":1.0,"kurdish_conflict":0.325,"sdf_damascus_fighting":0,"us_engagement":0.487,"alliance_shifts":0,"blocs_in_use":2,"syria_with_west":1},"actors":[{"id":"RUS","name":"Russia","color":"#888888","capabilities":{"military":40.0,"economic":19.999,"diplomatic":30.0},"size":31.9997,"bloc":0,"strain":0.0,"utility":2.828283224104,"human":false,"action_points":2},{"id":"SYR","name":"Syria","color":"#888888","capabilities":{"military":19.696,"economic":4.855,"diplomatic":20.0},"size":15.3093,"bloc":1,"strain":0.0,"utility":2.426516563882773,"human":false,"action_points":2},{"id":"USA","name":"United States","color":"#888888","capabilities":{"military":60.0,"economic":80.0,"diplomatic":70.0},"size":67.9999,"bloc":1,"strain":0.0,"utility":1.9053125256255998,"human":false,"action_points":3},{"id":"SDF","name":"SDF","color":"#888888","capabilities":{"military":14.595,"economic":5.0,"diplomatic":5.0},"size":9.775,"bloc":1,"strain":0.0,"utility":2.42,"human":false,"action_points":2}],"relations":[[0.0,0.2283,-0.5687,-0.0127],[0.2283,0.0,0.5853,-0.3716],[-0.5687,0.5853,0.0,0.3779],[-0.0127,-0.3716,0.3779,0.0]],"bases":[{"id":"tartus","name":"Tartus","lat":34.915,"lon":35.874,"region":"tartus","kind":"naval","controller":"RUS","status":"active","host":"SYR","consent":0.6899543029326981,"garrison":0.75,"value":{"RUS":1.0,"SYR":0.4}},{"id":"al_tanf","name":"Al-Tanf","lat":33.50583,"lon":38.61778,"region":"homs","kind":"garrison","controller":"USA","status":"active","host":"SYR","consent":0.9040632426021251,"garrison":0.8,"value":{"USA":0.6}},{"id":"qamishli","name":"Qamishli","lat":37.02056,"lon":41.19139,"region":"hasakah","kind":"airport","controller":"SDF","status":"active","host":"SDF","consent":1.0,"garrison":0.3,"value":{"SDF":0.5,"SYR":0.5}}],"regions":[{"id":"tartus","name":"Tartus","iso":"SY-TA","control":{"SYR":1.0}},{"id":"homs","name":"Homs","iso":"SY-HI","control":{"SYR":0.9,"USA":0.1}},{"id":"hasakah","name":"Hasakah","iso":"SY-HA","control":{"SYR":0.09,"SDF":0.91}}],"issues":[{"id":"basing","name":"Russian basing rights","forecast":40.0,"statistic":"median","closed":false,"status_quo":null,"scale":[0.0,100.0],"positions":{"RUS":79.685,"SYR":40.0,"USA":8.252,"SDF":36.112}},{"id":"integration","name":"SDF integration","forecast":60.0,"statistic":"median","closed":false,"status_quo":null,"scale":[0.0,100.0],"positions":{"RUS":67.937,"SYR":91.748,"USA":60.0,"SDF":28.252}}],"events":[{"turn":2,"date":"2026-01","kind":"event","actors":["SYR"],"sentence":"An ISIS cell attacked a checkpoint in the desert, second month running.","numbers":{"event":"isis_attack","p":0.3,"draw":0.2451,"effects":"SYR economic -0.5"},"phase":"nature","importance":"major","streak":2,"since":1},{"turn":2,"date":"2026-01","kind":"recognise","actors":["RUS","SYR"],"sentence":"Russia recognised Syria (relation +0.10 to +0.24).","numbers":{"relation":0.2423,"delta":0.1},"phase":"diplomacy","importance":"major","streak":1,"since":2},{"turn":2,"date":"2026-01","kind":"engage","actors":["USA","SYR"],"sentence":"United States engaged Syria (relation +0.06 to +0.51).","numbers":{"relation":0.5063,"delta":0.06},"phase":"diplomacy","importance":"minor","streak":1,"since":2},{"turn":2,"date":"2026-01","kind":"recognise","actors":["USA","SYR"],"sentence":"United States recognised Syria (relation +0.10 to +0.61).","numbers":{"relation":0.6063,"delta":0.1},"phase":"diplomacy","importance":"major","streak":1,"since":2},{"turn":2,"date":"2026-01","kind":"demand","actors":["SDF","USA"],"sentence":"SDF demanded movement on SDF integration from United States; United States refused (relation -0.12 to +0.38).","numbers":{"p":0.2202,"draw":0.6449,"delta":-0.12,"issue":"integration"},"phase":"diplomacy","importance":"minor","streak":1,"since":2},{"turn":2,"date":"2026-01","kind":"deploy","actors":["RUS"],"sentence":"Russia reinforced its garrison at Tartus (garrison 0.75).","numbers":{"base":"tartus","garrison":0.75},"phase":"military","importance":"minor","streak":1,"since":2},{"turn":2,"date":"2026-01","kind":"deploy","actors":["USA"],"sentence":"United States reinforced its garrison at Al-Tanf, second month running (garrison 0.80).","numbers":{"base":"al_tanf","garrison":0.8},"phase":"military","importance":"minor","streak":2,"since":1},{"turn":2,"date":"2026-01","kind":"talks","actors":["RUS","SYR"],"sentence":"Russia moved on Russian basing rights from 90 to 80, giving ground to Syria rather than face a showdown it expects to lose (confrontation).","numbers":{"issue":"basing","sender":"SYR","offer":"confrontation","start":90.0,"end":79.685,"forecast":40.0},"phase":"bargaining","importance":"minor","streak":1,"since":2}],"waiting_for":[]}','{"turn":2,"date":"2026-01","russia_bases_held":1,"syria_alignment":0.35702930152159984,"russia_isolation":0.6896286849096593,"russia_bloc_opposition":1.0,"kurdish_conflict":0.325,"sdf_damascus_fighting":0,"us_engagement":0.487,"alliance_shifts":0,"blocs_in_use":2,"syria_with_west":1,"base.tartus.controller":"RUS","base.tartus.status":"active","base.tartus.garrison":0.75,"base.tartus.host":"SYR","base.tartus.consent":0.6899543029326981,"base.al_tanf.controller":"USA","base.al_tanf.status":"active","base.al_tanf.garrison":0.8,"base.al_tanf.host":"SYR","base.al_tanf.consent":0.9040632426021251,"base.qamishli.controller":"SDF","base.qamishli.status":"active","base.qamishli.garrison":0.3,"base.qamishli.host":"SDF","base.qamishli.consent":1.0,"region.tartus.RUS":0.0,"region.tartus.SYR":1.0,"region.tartus.USA":0.0,"region.tartus.SDF":0.0,"region.homs.RUS":0.0,"region.homs.SYR":0.9,"region.homs.USA":0.10000000000000002,"region.homs.SDF":0.0,"region.hasakah.RUS":0.0,"region.hasakah.SYR":0.09,"region.hasakah.USA":0.0,"region.hasakah.SDF":0.9099999999999999,"relation.RUS.SYR":0.22828322410400004,"relation.RUS.USA":-0.5687283843551999,"relation.RUS.SDF":-0.012713260416,"relation.SYR.USA":0.5853125256255999,"relation.SYR.SDF":-0.371600250272,"relation.USA.SDF":0.37790939324,"utility.RUS":2.828283224104,"utility.SYR":2.426516563882773,"utility.USA":1.9053125256255998,"utility.SDF":2.42,"bloc.RUS":0,"bloc.SYR":1,"bloc.USA":1,"bloc.SDF":1,"alignment.RUS":-0.7542513297845349,"alignment.SYR":-0.5198267499047785,"alignment.USA":-0.4552223954035183,"alignment.SDF":-0.5409754913544247,"issue.basing.forecast":40.0,"issue.integration.forecast":60.0,"strain.RUS":0.0,"strain.SYR":0.0,"strain.USA":0.0,"strain.SDF":0.0,"capability.RUS.military":40.0,"capability.RUS.economic":19.998957582285144,"capability.SYR.military":19.696250000000003,"capability.SYR.economic":4.8549999999999995,"capability.USA.military":60.0,"capability.USA.economic":79.99973940193831,"capability.SDF.military":14.595,"capability.SDF.economic":5.0}');
INSERT INTO "snapshots" VALUES('v2ai',3,'{"turn":3,"date":"2026-02","max_turns":6,"done":false,"indicators":{"russia_bases_held":1,"syria_alignment":0.38924079968791775,"russia_isolation":0.68638045029893,"russia_bloc_opposition":1.0,"kurdish_conflict":0.21125000000000002,"sdf_damascus_fighting":0,"us_engagement":0.44089999999999996,"alliance_shifts":0,"blocs_in_use":2,"syria_with_west":1},"actors":[{"id":"RUS","name":"Russia","color":"#888888","capabilities":{"military":40.0,"economic":19.999,"diplomatic":30.0},"size":31.9997,"bloc":0,"strain":0.0,"utility":2.981761818664504,"human":false,"action_points":2},{"id":"SYR","name":"Syria","color":"#888888","capabilities":{"military":20.627,"economic":4.855,"diplomatic":20.0},"size":15.3046,"bloc":1,"strain":0.0,"utility":2.605956656609595,"human":false,"action_points":2},{"id":"USA","name":"United States","color":"#888888","capabilities":{"military":60.0,"economic":80.0,"diplomatic":70.0},"size":67.9999,"bloc":1,"strain":0.0,"utility":1.92,"human":false,"action_points":3},{"id":"SDF","name":"SDF","color":"#888888","capabilities":{"military":14.636,"economic":5.0,"diplomatic":5.0},"size":9.7975,"bloc":1,"strain":0.0,"utility":2.32,"human":false,"action_points":2}],"relations":[[0.0,0.2618,-0.5666,-0.0183],[0.2618,0.0,0.651,-0.2816],[-0.5666,0.651,0.0,0.4087],[-0.0183,-0.2816,0.4087,0.0]],"bases":[{"id":"tartus","name":"Tartus","lat":34.915,"lon":35.874,"region":"tartus","kind":"naval","controller":"RUS","status":"active","host":"SYR","consent":0.7325769043157793,"garrison":0.9,"value":{"RUS":1.0,"SYR":0.4}},{"id":"al_tanf","name":"Al-Tanf","lat":33.50583,"lon":38.61778,"region":"homs","kind":"garrison","controller":"USA","status":"active","host":"SYR","consent":0.9298142441607053,"garrison":0.8,"value":{"USA":0.6}},{"id":"qamishli","name":"Qamishli","lat":37.02056,"lon":41.19139,"region":"hasakah","kind":"airport","controller":"SDF","status":"active","host":"SDF","consent":1.0,"garrison":0.3,"value":{"SDF":0.5,"SYR":0.5}}],"regions":[{"id":"tartus","name":"Tartus","iso":"SY-TA","control":{"SYR":1.0}},{"id":"homs","name":"Homs","iso":"SY-HI","control":{"SYR":0.9,"USA":0.1}},{"id":"hasakah","name":"Hasakah","iso":"SY-HA","control":{"SYR":0.09,"SDF":0.91}}],"issues":[{"id":"basing","name":"Russian basing rights","forecast":40.0,"statistic":"median","closed":false,"status_quo":null,"scale":[0.0,100.0],"positions":{"RUS":75.355,"SYR":40.0,"USA":11.716,"SDF":36.536}},{"id":"integration","name":"SDF integration","forecast":70.0,"statistic":"median","closed":false,"status_quo":null,"scale":[0.0,100.0],"positions":{"RUS":68.162,"SYR":80.466,"USA":70.0,"SDF":28.941}}],"events":[{"turn":3,"date":"2026-02","kind":"concede","actors":["SYR","USA"],"sentence":"Syria softened its stance on SDF integration towards United States (position 92 to 82; United States at 60); United States welcomed it (relation +0.03 to +0.62).","numbers":{"move":-10.0,"issue":"integration"},"phase":"diplomacy","importance":"minor","streak":1,"since":3},{"turn":3,"date":"2026-02","kind":"mediate","actors":["USA","SYR","SDF"],"sentence":"United States mediated between Syria and SDF: talks eased tension (relation +0.08 to -0.29). A ceasefire freezes the lines for 3 months.","numbers":{"p":0.7809,"draw":0.594,"relation":-0.2916,"ceasefire":true},"phase":"diplomacy","importance":"minor","streak":1,"since":3},{"turn":3,"date":"2026-02","kind":"concede","actors":["USA","SYR"],"sentence":"United States softened its stance on SDF integration towards Syria (position 60 to 70; Syria at 82); Syria welcomed it (relation +0.03 to +0.68).","numbers":{"move":10.0,"issue":"integration"},"phase":"diplomacy","importance":"minor","streak":1,"since":3},{"turn":3,"date":"2026-02","kind":"support_proxy","actors":["RUS","SYR"],"sentence":"Russia armed and supported Syria (relation +0.05 to +0.28).","numbers":{"relation":0.2783,"delta":0.05},"phase":"military","importance":"minor","streak":1,"since":3},{"turn":3,"date":"2026-02","kind":"deploy","actors":["RUS"],"sentence":"Russia reinforced its garrison at Tartus, second month running (garrison 0.90).","numbers":{"base":"tartus","garrison":0.9},"phase":"military","importance":"minor","streak":2,"since":2},{"turn":3,"date":"2026-02","kind":"talks","actors":["USA","SYR"],"sentence":"United States moved on Russian basing rights from 0 to 12, giving ground to Syria rather than face a showdown it expects to lose (confrontation).","numbers":{"issue":"basing","sender":"SYR","offer":"confrontation","start":0.0,"end":11.7157,"forecast":40.0},"phase":"bargaining","importance":"minor","streak":1,"since":3}],"waiting_for":[]}','{"turn":3,"date":"2026-02","russia_bases_held":1,"syria_alignment":0.38924079968791775,"russia_isolation":0.68638045029893,"russia_bloc_opposition":1.0,"kurdish_conflict":0.21125000000000002,"sdf_damascus_fighting":0,"us_engagement":0.44089999999999996,"alliance_shifts":0,"blocs_in_use":2,"syria_with_west":1,"base.tartus.controller":"RUS","base.tartus.status":"active","base.tartus.garrison":0.9,"base.tartus.host":"SYR","base.tartus.consent":0.7325769043157793,"base.al_tanf.controller":"USA","base.al_tanf.status":"active","base.al_tanf.garrison":0.8,"base.al_tanf.host":"SYR","base.al_tanf.consent":0.9298142441607053,"base.qamishli.controller":"SDF","base.qamishli.status":"active","base.qamishli.garrison":0.3,"base.qamishli.host":"SDF","base.qamishli.consent":1.0,"region.tartus.RUS":0.0,"region.tartus.SYR":1.0,"region.tartus.USA":0.0,"region.tartus.SDF":0.0,"region.homs.RUS":0.0,"region.homs.SYR":0.9,"region.homs.USA":0.10000000000000002,"region.homs.SDF":0.0,"region.hasakah.RUS":0.0,"region.hasakah.SYR":0.09,"region.hasakah.USA":0.0,"region.hasakah.SDF":0.9099999999999999,"relation.RUS.SYR":0.26176181866450404,"relation.RUS.USA":-0.5666371193661097,"relation.RUS.SDF":-0.01834033955471841,"relation.SYR.USA":0.6510026183524218,"relation.SYR.SDF":-0.2815816690488425,"relation.USA.SDF":0.40872010538944076,"utility.RUS":2.981761818664504,"utility.SYR":2.605956656609595,"utility.USA":1.92,"utility.SDF":2.32,"bloc.RUS":0,"bloc.SYR":1,"bloc.USA":1,"bloc.SDF":1,"alignment.RUS":-0.7111323584852893,"alignment.SYR":-0.5213642685502715,"alignment.USA":-0.4763848233530967,"alignment.SDF":-0.6370607815397298,"issue.basing.forecast":40.0,"issue.integration.forecast":70.0,"strain.RUS":0.0,"strain.SYR":0.0,"strain.USA":0.0,"strain.SDF":0.0,"capability.RUS.military":40.0,"capability.RUS.economic":19.998957582285144,"capability.SYR.military":20.626625000000004,"capability.SYR.economic":4.8549999999999995,"capability.USA.military":60.0,"capability.USA.economic":79.99973940193831,"capability.SDF.military":14.6355,"capability.SDF.economic":5.0}');
INSERT INTO "snapshots" VALUES('v2human',0,'{"turn":0,"date":"2025-11","max_turns":6,"done":false,"indicators":{"russia_bases_held":1,"syria_alignment":0.19999999999999998,"russia_isolation":0.7098930481283422,"russia_bloc_opposition":1.0,"kurdish_conflict":0.0,"sdf_damascus_fighting":0,"us_engagement":0.3,"alliance_shifts":0,"blocs_in_use":2,"syria_with_west":1},"actors":[{"id":"RUS","name":"Russia","color":"#888888","capabilities":{"military":40.0,"economic":20.0,"diplomatic":30.0},"size":32.0,"bloc":0,"strain":0.0,"utility":2.540464807525062,"human":false,"action_points":2},{"id":"SYR","name":"Syria","color":"#888888","capabilities":{"military":20.0,"economic":5.0,"diplomatic":20.0},"size":15.5,"bloc":1,"strain":0.0,"utility":2.5968862911795965,"human":true,"action_points":2},{"id":"USA","name":"United States","color":"#888888","capabilities":{"military":60.0,"economic":80.0,"diplomatic":70.0},"size":68.0,"bloc":1,"strain":0.0,"utility":1.5,"human":false,"action_points":3},{"id":"SDF","name":"SDF","color":"#888888","capabilities":{"military":15.0,"economic":5.0,"diplomatic":5.0},"size":10.0,"bloc":1,"strain":0.0,"utility":2.3,"human":false,"action_points":2}],"relations":[[0.0,0.1,-0.6,0.0],[0.1,0.0,0.3,-0.2],[-0.6,0.3,0.0,0.5],[0.0,-0.2,0.5,0.0]],"bases":[{"id":"tartus","name":"Tartus","lat":34.915,"lon":35.874,"region":"tartus","kind":"naval","controller":"RUS","status":"active","host":"SYR","consent":0.45016600268752216,"garrison":0.6,"value":{"RUS":1.0,"SYR":0.4}},{"id":"al_tanf","name":"Al-Tanf","lat":33.50583,"lon":38.61778,"region":"homs","kind":"garrison","controller":"USA","status":"active","host":"SYR","consent":0.7502601055951177,"garrison":0.5,"value":{"USA":0.6}},{"id":"qamishli","name":"Qamishli","lat":37.02056,"lon":41.19139,"region":"hasakah","kind":"airport","controller":"SDF","status":"active","host":"SDF","consent":1.0,"garrison":0.3,"value":{"SDF":0.5,"SYR":0.5}}],"regions":[{"id":"tartus","name":"Tartus","iso":"SY-TA","control":{"SYR":1.0}},{"id":"homs","name":"Homs","iso":"SY-HI","control":{"SYR":0.9,"USA":0.1}},{"id":"hasakah","name":"Hasakah","iso":"SY-HA","control":{"SYR":0.15,"SDF":0.85}}],"issues":[{"id":"basing","name":"Russian basing rights","forecast":50.0,"statistic":"median","closed":false,"status_quo":null,"scale":[0.0,100.0],"positions":{"RUS":100.0,"SYR":50.0,"USA":0.0,"SDF":40.0}},{"id":"integration","name":"SDF integration","forecast":60.0,"statistic":"median","closed":false,"status_quo":null,"scale":[0.0,100.0],"positions":{"RUS":70.0,"SYR":100.0,"USA":60.0,"SDF":20.0}}],"events":[],"waiting_for":["SYR"]}','{"turn":0,"date":"2025-11","russia_bases_held":1,"syria_alignment":0.19999999999999998,"russia_isolation":0.7098930481283422,"russia_bloc_opposition":1.0,"kurdish_conflict":0.0,"sdf_damascus_fighting":0,"us_engagement":0.3,"alliance_shifts":0,"blocs_in_use":2,"syria_with_west":1,"base.tartus.controller":"RUS","base.tartus.status":"active","base.tartus.garrison":0.6,"base.tartus.host":"SYR","base.tartus.consent":0.45016600268752216,"base.al_tanf.controller":"USA","base.al_tanf.status":"active","base.al_tanf.garrison":0.5,"base.al_tanf.host":"SYR","base.al_tanf.consent":0.7502601055951177,"base.qamishli.controller":"SDF","base.qamishli.status":"active","base.qamishli.garrison":0.3,"base.qamishli.host":"SDF","base.qamishli.consent":1.0,"region.tartus.RUS":0.0,"region.tartus.SYR":1.0,"region.tartus.USA":0.0,"region.tartus.SDF":0.0,"region.homs.RUS":0.0,"region.homs.SYR":0.9,"region.homs.USA":0.1,"region.homs.SDF":0.0,"region.hasakah.RUS":0.0,"region.hasakah.SYR":0.15,"region.hasakah.USA":0.0,"region.hasakah.SDF":0.85,"relation.RUS.SYR":0.1,"relation.RUS.USA":-0.6,"relation.RUS.SDF":0.0,"relation.SYR.USA":0.3,"relation.SYR.SDF":-0.2,"relation.USA.SDF":0.5,"utility.RUS":2.540464807525062,"utility.SYR":2.5968862911795965,"utility.USA":1.5,"utility.SDF":2.3,"bloc.RUS":0,"bloc.SYR":1,"bloc.USA":1,"bloc.SDF":1,"alignment.RUS":-0.9268004722550178,"alignment.SYR":-0.59375,"alignment.USA":-0.33448873483535524,"alignment.SDF":-0.8328840970350404,"issue.basing.forecast":50.0,"issue.integration.forecast":60.0,"strain.RUS":0.0,"strain.SYR":0.0,"strain.USA":0.0,"strain.SDF":0.0,"capability.RUS.military":40.0,"capability.RUS.economic":20.0,"capability.SYR.military":20.0,"capability.SYR.economic":5.0,"capability.USA.military":60.0,"capability.USA.economic":80.0,"capability.SDF.military":15.0,"capability.SDF.economic":5.0}');
INSERT INTO "snapshots" VALUES('v2human',1,'{"turn":1,"date":"2025-12","max_turns":6,"done":false,"indicators":{"russia_bases_held":1,"syria_alignment":0.23673599999999995,"russia_isolation":0.695904294117647,"russia_bloc_opposition":1.0,"kurdish_conflict":0.5,"sdf_damascus_fighting":1,"us_engagement":0.41000000000000003,"alliance_shifts":0,"blocs_in_use":2,"syria_with_west":1},"actors":[{"id":"RUS","name":"Russia","color":"#888888","capabilities":{"military":40.0,"economic":19.999,"diplomatic":30.0},"size":32.0,"bloc":0,"strain":0.0,"utility":2.723054,"human":false,"action_points":2},{"id":"SYR","name":"Syria","color":"#888888","capabilities":{"military":19.662,"economic":4.927,"diplomatic":20.0},"size":15.5,"bloc":1,"strain":0.0,"utility":2.1802182678002127,"human":true,"action_points":2},{"id":"USA","name":"United States","color":"#888888","capabilities":{"military":60.0,"economic":80.0,"diplomatic":70.0},"size":68.0,"bloc":1,"strain":0.0,"utility":1.63979,"human":false,"action_points":3},{"id":"SDF","name":"SDF","color":"#888888","capabilities":{"military":14.55,"economic":5.0,"diplomatic":5.0},"size":10.0,"bloc":1,"strain":0.0,"utility":2.42,"human":false,"action_points":2}],"relations":[[0.0,0.1431,-0.5703,-0.0069],[0.1431,0.0,0.3798,-0.3861],[-0.5703,0.3798,0.0,0.4969],[-0.0069,-0.3861,0.4969,0.0]],"bases":[{"id":"tartus","name":"Tartus","lat":34.915,"lon":35.874,"region":"tartus","kind":"naval","controller":"RUS","status":"active","host":"SYR","consent":0.6646780074324883,"garrison":0.6,"value":{"RUS":1.0,"SYR":0.4}},{"id":"al_tanf","name":"Al-Tanf","lat":33.50583,"lon":38.61778,"region":"homs","kind":"garrison","controller":"USA","status":"active","host":"SYR","consent":0.8689493056273111,"garrison":0.65,"value":{"USA":0.6}},{"id":"qamishli","name":"Qamishli","lat":37.02056,"lon":41.19139,"region":"hasakah","kind":"airport","controller":"SDF","status":"active","host":"SDF","consent":1.0,"garrison":0.3,"value":{"SDF":0.5,"SYR":0.5}}],"regions":[{"id":"tartus","name":"Tartus","iso":"SY-TA","control":{"SYR":1.0}},{"id":"homs","name":"Homs","iso":"SY-HI","control":{"SYR":0.95,"USA":0.05}},{"id":"hasakah","name":"Hasakah","iso":"SY-HA","control":{"SYR":0.09,"SDF":0.91}}],"issues":[{"id":"basing","name":"Russian basing rights","forecast":50.0,"statistic":"median","closed":false,"status_quo":null,"scale":[0.0,100.0],"positions":{"RUS":85.636,"SYR":50.0,"USA":5.455,"SDF":41.091}},{"id":"integration","name":"SDF integration","forecast":60.0,"statistic":"median","closed":false,"status_quo":null,"scale":[0.0,100.0],"positions":{"RUS":68.909,"SYR":95.636,"USA":60.0,"SDF":24.364}}],"events":[{"turn":1,"date":"2025-12","kind":"event","actors":["SYR"],"sentence":"An ISIS cell attacked a checkpoint in the desert.","numbers":{"event":"isis_attack","p":0.3,"draw":0.1286,"effects":"SYR economic -0.5"},"phase":"nature","importance":"major","streak":1,"since":1},{"turn":1,"date":"2025-12","kind":"concede","actors":["RUS","USA"],"sentence":"Russia softened its stance on Russian basing rights towards United States (position 100 to 90; United States at 0); United States welcomed it (relation +0.03 to -0.57).","numbers":{"move":-10.0,"issue":"basing"},"phase":"diplomacy","importance":"minor","streak":1,"since":1},{"turn":1,"date":"2025-12","kind":"aid","actors":["RUS","SYR"],"sentence":"Russia sent aid to Syria (relation +0.05 to +0.15).","numbers":{"relation":0.15,"delta":0.05},"phase":"economy","importance":"minor","streak":1,"since":1},{"turn":1,"date":"2025-12","kind":"aid","actors":["USA","SYR"],"sentence":"United States sent aid to Syria (relation +0.05 to +0.35).","numbers":{"relation":0.35,"delta":0.05},"phase":"economy","importance":"minor","streak":1,"since":1},{"turn":1,"date":"2025-12","kind":"patrol","actors":["USA","SYR"],"sentence":"United States patrolled jointly with Syria in Homs (relation +0.04 to +0.39).","numbers":{"relation":0.39,"delta":0.04},"phase":"military","importance":"minor","streak":1,"since":1},{"turn":1,"date":"2025-12","kind":"deploy","actors":["USA"],"sentence":"United States reinforced its garrison at Al-Tanf (garrison 0.65).","numbers":{"base":"al_tanf","garrison":0.65},"phase":"military","importance":"minor","streak":1,"since":1},{"turn":1,"date":"2025-12","kind":"territory","actors":["SDF","SYR"],"sentence":"SDF took 0.06 of Hasakah from Syria (force 18 vs 3, p=0.94).","numbers":{"region":"hasakah","p":0.9407,"draw":0.404,"force":17.93,"defence":3.0,"taken":0.06,"share":0.91},"phase":"military","importance":"major","streak":1,"since":1},{"turn":1,"date":"2025-12","kind":"attrition","actors":["SDF"],"sentence":"SDF lost 0.5 of its military strength (15.0 -> 14.5) fighting Syria.","numbers":{"loss":0.5,"military":14.5},"phase":"control","importance":"major","streak":1,"since":1}],"waiting_for":["SYR"]}','{"turn":1,"date":"2025-12","russia_bases_held":1,"syria_alignment":0.23673599999999995,"russia_isolation":0.695904294117647,"russia_bloc_opposition":1.0,"kurdish_conflict":0.5,"sdf_damascus_fighting":1,"us_engagement":0.41000000000000003,"alliance_shifts":0,"blocs_in_use":2,"syria_with_west":1,"base.tartus.controller":"RUS","base.tartus.status":"active","base.tartus.garrison":0.6,"base.tartus.host":"SYR","base.tartus.consent":0.6646780074324883,"base.al_tanf.controller":"USA","base.al_tanf.status":"active","base.al_tanf.garrison":0.65,"base.al_tanf.host":"SYR","base.al_tanf.consent":0.8689493056273111,"base.qamishli.controller":"SDF","base.qamishli.status":"active","base.qamishli.garrison":0.3,"base.qamishli.host":"SDF","base.qamishli.consent":1.0,"region.tartus.RUS":0.0,"region.tartus.SYR":1.0,"region.tartus.USA":0.0,"region.tartus.SDF":0.0,"region.homs.RUS":0.0,"region.homs.SYR":0.9500000000000001,"region.homs.USA":0.04999999999999999,"region.homs.SDF":0.0,"region.hasakah.RUS":0.0,"region.hasakah.SYR":0.09,"region.hasakah.USA":0.0,"region.hasakah.SDF":0.9099999999999999,"relation.RUS.SYR":0.14305400000000001,"relation.RUS.USA":-0.57033,"relation.RUS.SDF":-0.0069,"relation.SYR.USA":0.37978999999999996,"relation.SYR.SDF":-0.3861,"relation.USA.SDF":0.49688,"utility.RUS":2.723054,"utility.SYR":2.1802182678002127,"utility.USA":1.63979,"utility.SDF":2.42,"bloc.RUS":0,"bloc.SYR":1,"bloc.USA":1,"bloc.SDF":1,"alignment.RUS":-0.8720095484849004,"alignment.SYR":-0.46314769139496775,"alignment.USA":-0.3886946821251268,"alignment.SDF":-0.6117165993914384,"issue.basing.forecast":50.0,"issue.integration.forecast":60.0,"strain.RUS":0.0,"strain.SYR":0.0,"strain.USA":0.0,"strain.SDF":0.0,"capability.RUS.military":40.0,"capability.RUS.economic":19.998957582285144,"capability.SYR.military":19.6625,"capability.SYR.economic":4.926966612430005,"capability.USA.military":60.0,"capability.USA.economic":79.99973940193831,"capability.SDF.military":14.55,"capability.SDF.economic":5.0}');
INSERT INTO "snapshots" VALUES('v2human',2,'{"turn":2,"date":"2026-01","max_turns":6,"done":false,"indicators":{"russia_bases_held":1,"syria_alignment":0.23463600369759993,"russia_isolation":0.6897427783036828,"russia_bloc_opposition":1.0,"kurdish_conflict":0.325,"sdf_damascus_fighting":0,"us_engagement":0.587,"alliance_shifts":0,"blocs_in_use":2,"syria_with_west":1},"actors":[{"id":"RUS","name":"Russia","color":"#888888","capabilities":{"military":40.0,"economic":19.999,"diplomatic":30.0},"size":31.9997,"bloc":0,"strain":0.0,"utility":2.9304818091860003,"human":false,"action_points":2},{"id":"SYR","name":"Syria","color":"#888888","capabilities":{"military":19.696,"economic":4.855,"diplomatic":20.0},"size":15.3093,"bloc":1,"strain":0.0,"utility":2.4405460806838124,"human":true,"action_points":2},{"id":"USA","name":"United States","color":"#888888","capabilities":{"military":60.0,"economic":79.999,"diplomatic":70.0},"size":67.9999,"bloc":1,"strain":0.0,"utility":1.7251178128836,"human":false,"action_points":3},{"id":"SDF","name":"SDF","color":"#888888","capabilities":{"military":14.595,"economic":5.0,"diplomatic":5.0},"size":9.775,"bloc":1,"strain":0.0,"utility":2.42,"human":false,"action_points":2}],"relations":[[0.0,0.2305,-0.5695,-0.0127],[0.2305,0.0,0.4651,-0.3732],[-0.5695,0.4651,0.0,0.3794],[-0.0127,-0.3732,0.3794,0.0]],"bases":[{"id":"tartus","name":"Tartus","lat":34.915,"lon":35.874,"region":"tartus","kind":"naval","controller":"RUS","status":"active","host":"SYR","consent":0.6908941474477807,"garrison":0.75,"value":{"RUS":1.0,"SYR":0.4}},{"id":"al_tanf","name":"Al-Tanf","lat":33.50583,"lon":38.61778,"region":"homs","kind":"garrison","controller":"USA","status":"active","host":"SYR","consent":0.917507690366231,"garrison":0.65,"value":{"USA":0.6}},{"id":"qamishli","name":"Qamishli","lat":37.02056,"lon":41.19139,"region":"hasakah","kind":"airport","controller":"SDF","status":"active","host":"SDF","consent":1.0,"garrison":0.3,"value":{"SDF":0.5,"SYR":0.5}}],"regions":[{"id":"tartus","name":"Tartus","iso":"SY-TA","control":{"SYR":1.0}},{"id":"homs","name":"Homs","iso":"SY-HI","control":{"SYR":0.95,"USA":0.05}},{"id":"hasakah","name":"Hasakah","iso":"SY-HA","control":{"SYR":0.09,"SDF":0.91}}],"issues":[{"id":"basing","name":"Russian basing rights","forecast":50.0,"statistic":"median","closed":false,"status_quo":null,"scale":[0.0,100.0],"positions":{"RUS":81.748,"SYR":50.0,"USA":10.315,"SDF":42.063}},{"id":"integration","name":"SDF integration","forecast":60.0,"statistic":"median","closed":false,"status_quo":null,"scale":[0.0,100.0],"positions":{"RUS":67.937,"SYR":91.748,"USA":60.0,"SDF":28.252}}],"events":[{"turn":2,"date":"2026-01","kind":"event","actors":["SYR"],"sentence":"An ISIS cell attacked a checkpoint in the desert, second month running.","numbers":{"event":"isis_attack","p":0.3,"draw":0.2451,"effects":"SYR economic -0.5"},"phase":"nature","importance":"major","streak":2,"since":1},{"turn":2,"date":"2026-01","kind":"recognise","actors":["RUS","SYR"],"sentence":"Russia recognised Syria (relation +0.10 to +0.24).","numbers":{"relation":0.2431,"delta":0.1},"phase":"diplomacy","importance":"major","streak":1,"since":2},{"turn":2,"date":"2026-01","kind":"demand","actors":["SDF","USA"],"sentence":"SDF demanded movement on SDF integration from United States; United States refused (relation -0.12 to +0.38).","numbers":{"p":0.2203,"draw":0.7555,"delta":-0.12,"issue":"integration"},"phase":"diplomacy","importance":"minor","streak":1,"since":2},{"turn":2,"date":"2026-01","kind":"invest","actors":["USA","SYR"],"sentence":"United States invested in Syria (relation +0.05 to +0.43).","numbers":{"relation":0.4298,"delta":0.05},"phase":"economy","importance":"minor","streak":1,"since":2},{"turn":2,"date":"2026-01","kind":"aid","actors":["USA","SYR"],"sentence":"United States sent aid to Syria, second month running (relation +0.05 to +0.48).","numbers":{"relation":0.4798,"delta":0.05},"phase":"economy","importance":"minor","streak":2,"since":1},{"turn":2,"date":"2026-01","kind":"deploy","actors":["RUS"],"sentence":"Russia reinforced its garrison at Tartus (garrison 0.75).","numbers":{"base":"tartus","garrison":0.75},"phase":"military","importance":"minor","streak":1,"since":2},{"turn":2,"date":"2026-01","kind":"talks","actors":["USA","SYR"],"sentence":"United States moved on Russian basing rights from 0 to 10, giving ground to Syria rather than face a showdown it expects to lose (confrontation).","numbers":{"issue":"basing","sender":"SYR","offer":"confrontation","start":0.0,"end":10.315,"forecast":50.0},"phase":"bargaining","importance":"minor","streak":1,"since":2}],"waiting_for":["SYR"]}','{"turn":2,"date":"2026-01","russia_bases_held":1,"syria_alignment":0.23463600369759993,"russia_isolation":0.6897427783036828,"russia_bloc_opposition":1.0,"kurdish_conflict":0.325,"sdf_damascus_fighting":0,"us_engagement":0.587,"alliance_shifts":0,"blocs_in_use":2,"syria_with_west":1,"base.tartus.controller":"RUS","base.tartus.status":"active","base.tartus.garrison":0.75,"base.tartus.host":"SYR","base.tartus.consent":0.6908941474477807,"base.al_tanf.controller":"USA","base.al_tanf.status":"active","base.al_tanf.garrison":0.65,"base.al_tanf.host":"SYR","base.al_tanf.consent":0.917507690366231,"base.qamishli.controller":"SDF","base.qamishli.status":"active","base.qamishli.garrison":0.3,"base.qamishli.host":"SDF","base.qamishli.consent":1.0,"region.tartus.RUS":0.0,"region.tartus.SYR":1.0,"region.tartus.USA":0.0,"region.tartus.SDF":0.0,"region.homs.RUS":0.0,"region.homs.SYR":0.9500000000000001,"region.homs.USA":0.04999999999999999,"region.homs.SDF":0.0,"region.hasakah.RUS":0.0,"region.hasakah.SYR":0.09,"region.hasakah.USA":0.0,"region.hasakah.SDF":0.9099999999999999,"relation.RUS.SYR":0.230481809186,"relation.RUS.USA":-0.5695332118668,"relation.RUS.SDF":-0.012730782396000001,"relation.SYR.USA":0.46511781288359993,"relation.SYR.SDF":-0.37321207634799997,"relation.USA.SDF":0.37940976715999997,"utility.RUS":2.9304818091860003,"utility.SYR":2.4405460806838124,"utility.USA":1.7251178128836,"utility.SDF":2.42,"bloc.RUS":0,"bloc.SYR":1,"bloc.USA":1,"bloc.SDF":1,"alignment.RUS":-0.7532235040787938,"alignment.SYR":-0.42179586803564184,"alignment.USA":-0.41069168926730504,"alignment.SDF":-0.5412274980506964,"issue.basing.forecast":50.0,"issue.integration.forecast":60.0,"strain.RUS":0.0,"strain.SYR":0.0,"strain.USA":0.0,"strain.SDF":0.0,"capability.RUS.military":40.0,"capability.RUS.economic":19.998957582285144,"capability.SYR.military":19.696250000000003,"capability.SYR.economic":4.8549999999999995,"capability.USA.military":60.0,"capability.USA.economic":79.99861013386138,"capability.SDF.military":14.595,"capability.SDF.economic":5.0}');
CREATE INDEX games_created ON games(created);
COMMIT;
