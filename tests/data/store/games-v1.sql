-- A games database as the store of commit e03cc99 wrote it (PRAGMA user_version = 1), dumped with
-- sqlite3's iterdump: game v1ai (AI only, turn 1 of 4) and v1human (SYR and USA, turn 1 of 4, SYR's orders for
-- turn 2 pending; seat tokens v1-fixture-token-SYR and v1-fixture-token-USA). Never regenerate it: it stands
-- for databases already in use.
PRAGMA user_version = 1;
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
);
INSERT INTO "games" VALUES('v1ai','mini','Mini test scenario','name: Mini test scenario
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
        regions: null
        issue: null
      ties:
        kind: relation
        weight: 1.0
        base: null
        actor: SYR
        target: 0.6
        regions: null
        issue: null
      basing:
        kind: issue
        weight: 1.0
        base: null
        actor: null
        target: null
        regions: null
        issue: basing
    policy:
      kind: utility
      temperature: 0.15
      rules: []
      script: {}
      fallback: hold
    actions: null
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
        regions: null
        issue: null
      land:
        kind: influence
        weight: 1.5
        base: null
        actor: null
        target: null
        regions: null
        issue: null
      basing:
        kind: issue
        weight: 1.0
        base: null
        actor: null
        target: null
        regions: null
        issue: basing
      calm:
        kind: stability
        weight: 1.0
        base: null
        actor: null
        target: null
        regions: null
        issue: null
    policy:
      kind: utility
      temperature: 0.15
      rules: []
      script: {}
      fallback: hold
    actions: null
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
        regions: null
        issue: null
      ties:
        kind: relation
        weight: 1.0
        base: null
        actor: SYR
        target: 0.6
        regions: null
        issue: null
      deny:
        kind: deny_base
        weight: 0.5
        base: tartus
        actor: RUS
        target: null
        regions: null
        issue: null
    policy:
      kind: utility
      temperature: 0.15
      rules: []
      script: {}
      fallback: hold
    actions: null
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
        regions:
        - hasakah
        issue: null
      autonomy:
        kind: issue
        weight: 1.0
        base: null
        actor: null
        target: null
        regions: null
        issue: integration
    policy:
      kind: utility
      temperature: 0.15
      rules: []
      script: {}
      fallback: hold
    actions: null
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
    host: SYR
    garrison: 0.6
    status: active
    value:
      RUS: 1.0
      SYR: 0.4
  al_tanf:
    name: Al-Tanf
    lat: 33.50583
    lon: 38.61778
    region: homs
    kind: garrison
    controller: USA
    host: SYR
    garrison: 0.5
    status: active
    value:
      USA: 0.6
  qamishli:
    name: Qamishli
    lat: 37.02056
    lon: 41.19139
    region: hasakah
    kind: airport
    controller: SDF
    host: SYR
    garrison: 0.3
    status: active
    value:
      SDF: 0.5
      SYR: 0.5
regions:
  tartus:
    name: Tartus
    iso: SY-TA
    population: 954.0
    control:
      SYR: 1.0
  homs:
    name: Homs
    iso: SY-HI
    population: 2147.0
    control:
      SYR: 0.9
      USA: 0.1
  hasakah:
    name: Hasakah
    iso: SY-HA
    population: 1604.0
    control:
      SDF: 0.85
      SYR: 0.15
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
      sentence: Damascus served notice on Russia''s bases.
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
      sentence: Damascus reaffirmed Russia''s lease.
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
    sentence: An ISIS cell attacked a checkpoint in the desert.
    max_times: 0
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
  aid:
    cost: 1
    relation: 0.05
    amount: 0.0
    economy: 1.5
    self_economy: -0.3
    fighting: 0.0
    refused_relation: 0.0
    min_relation: -0.3
    max_relation: 1.0
    min_military: 0.0
    min_economic: 10.0
    difficulty: 30.0
  invest:
    cost: 2
    relation: 0.05
    amount: 0.0
    economy: 3.0
    self_economy: -0.6
    fighting: 0.0
    refused_relation: 0.0
    min_relation: 0.0
    max_relation: 1.0
    min_military: 0.0
    min_economic: 15.0
    difficulty: 30.0
  sanction:
    cost: 1
    relation: -0.08
    amount: 0.0
    economy: -2.0
    self_economy: -0.3
    fighting: 0.0
    refused_relation: 0.0
    min_relation: -1.0
    max_relation: 0.0
    min_military: 0.0
    min_economic: 10.0
    difficulty: 30.0
  lift_sanctions:
    cost: 1
    relation: 0.08
    amount: 0.0
    economy: 2.0
    self_economy: 0.0
    fighting: 0.0
    refused_relation: 0.0
    min_relation: -1.0
    max_relation: 1.0
    min_military: 0.0
    min_economic: 0.0
    difficulty: 30.0
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
  strike:
    cost: 1
    relation: -0.1
    amount: 0.2
    economy: 0.0
    self_economy: 0.0
    fighting: 0.25
    refused_relation: 0.0
    min_relation: -1.0
    max_relation: -0.2
    min_military: 10.0
    min_economic: 0.0
    difficulty: 30.0
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
  seize:
    cost: 2
    relation: -0.25
    amount: 0.3
    economy: 0.0
    self_economy: 0.0
    fighting: 0.5
    refused_relation: 0.0
    min_relation: -1.0
    max_relation: -0.1
    min_military: 10.0
    min_economic: 0.0
    difficulty: 15.0
params:
  tullock_k: 1.5
  drift: 0.05
  balance: 0.04
  fighting_decay: 0.35
  open_fighting: 0.5
  drawdown_rate: 0.2
  collapse_garrison: 0.08
  control_rate: 0.05
  garrison_presence: 0.15
  size_weights:
    military: 0.5
    economic: 0.3
    diplomatic: 0.2
  bargaining_q: 1.0
  bargaining_t: 1.0
  engagement_memory: 0.7
  alliance_switch: true
sanctions:
- USA-RUS
initial_us_engagement: 0.3
','e66bbad4bc0041d5c5ed1831afa7ed0cfa23b078886f01d299500bf3c415b757',11,4,'[]','{}','[{"turn":1,"orders":{"RUS":[{"kind":"recognise","target":"SYR"},{"kind":"deploy","base":"tartus"}],"SYR":[{"kind":"recognise","target":"USA"},{"kind":"engage","target":"USA"}],"USA":[{"kind":"invest","target":"SYR"},{"kind":"recognise","target":"SYR"}],"SDF":[{"kind":"demand","target":"USA","issue":"integration"}]}}]',1,'ready','2026-12-01T09:08:38+00:00','2026-12-01T09:08:38+00:00');
INSERT INTO "games" VALUES('v1human','mini','Mini test scenario','name: Mini test scenario
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
        regions: null
        issue: null
      ties:
        kind: relation
        weight: 1.0
        base: null
        actor: SYR
        target: 0.6
        regions: null
        issue: null
      basing:
        kind: issue
        weight: 1.0
        base: null
        actor: null
        target: null
        regions: null
        issue: basing
    policy:
      kind: utility
      temperature: 0.15
      rules: []
      script: {}
      fallback: hold
    actions: null
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
        regions: null
        issue: null
      land:
        kind: influence
        weight: 1.5
        base: null
        actor: null
        target: null
        regions: null
        issue: null
      basing:
        kind: issue
        weight: 1.0
        base: null
        actor: null
        target: null
        regions: null
        issue: basing
      calm:
        kind: stability
        weight: 1.0
        base: null
        actor: null
        target: null
        regions: null
        issue: null
    policy:
      kind: utility
      temperature: 0.15
      rules: []
      script: {}
      fallback: hold
    actions: null
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
        regions: null
        issue: null
      ties:
        kind: relation
        weight: 1.0
        base: null
        actor: SYR
        target: 0.6
        regions: null
        issue: null
      deny:
        kind: deny_base
        weight: 0.5
        base: tartus
        actor: RUS
        target: null
        regions: null
        issue: null
    policy:
      kind: utility
      temperature: 0.15
      rules: []
      script: {}
      fallback: hold
    actions: null
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
        regions:
        - hasakah
        issue: null
      autonomy:
        kind: issue
        weight: 1.0
        base: null
        actor: null
        target: null
        regions: null
        issue: integration
    policy:
      kind: utility
      temperature: 0.15
      rules: []
      script: {}
      fallback: hold
    actions: null
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
    host: SYR
    garrison: 0.6
    status: active
    value:
      RUS: 1.0
      SYR: 0.4
  al_tanf:
    name: Al-Tanf
    lat: 33.50583
    lon: 38.61778
    region: homs
    kind: garrison
    controller: USA
    host: SYR
    garrison: 0.5
    status: active
    value:
      USA: 0.6
  qamishli:
    name: Qamishli
    lat: 37.02056
    lon: 41.19139
    region: hasakah
    kind: airport
    controller: SDF
    host: SYR
    garrison: 0.3
    status: active
    value:
      SDF: 0.5
      SYR: 0.5
regions:
  tartus:
    name: Tartus
    iso: SY-TA
    population: 954.0
    control:
      SYR: 1.0
  homs:
    name: Homs
    iso: SY-HI
    population: 2147.0
    control:
      SYR: 0.9
      USA: 0.1
  hasakah:
    name: Hasakah
    iso: SY-HA
    population: 1604.0
    control:
      SDF: 0.85
      SYR: 0.15
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
      sentence: Damascus served notice on Russia''s bases.
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
      sentence: Damascus reaffirmed Russia''s lease.
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
    sentence: An ISIS cell attacked a checkpoint in the desert.
    max_times: 0
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
  aid:
    cost: 1
    relation: 0.05
    amount: 0.0
    economy: 1.5
    self_economy: -0.3
    fighting: 0.0
    refused_relation: 0.0
    min_relation: -0.3
    max_relation: 1.0
    min_military: 0.0
    min_economic: 10.0
    difficulty: 30.0
  invest:
    cost: 2
    relation: 0.05
    amount: 0.0
    economy: 3.0
    self_economy: -0.6
    fighting: 0.0
    refused_relation: 0.0
    min_relation: 0.0
    max_relation: 1.0
    min_military: 0.0
    min_economic: 15.0
    difficulty: 30.0
  sanction:
    cost: 1
    relation: -0.08
    amount: 0.0
    economy: -2.0
    self_economy: -0.3
    fighting: 0.0
    refused_relation: 0.0
    min_relation: -1.0
    max_relation: 0.0
    min_military: 0.0
    min_economic: 10.0
    difficulty: 30.0
  lift_sanctions:
    cost: 1
    relation: 0.08
    amount: 0.0
    economy: 2.0
    self_economy: 0.0
    fighting: 0.0
    refused_relation: 0.0
    min_relation: -1.0
    max_relation: 1.0
    min_military: 0.0
    min_economic: 0.0
    difficulty: 30.0
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
  strike:
    cost: 1
    relation: -0.1
    amount: 0.2
    economy: 0.0
    self_economy: 0.0
    fighting: 0.25
    refused_relation: 0.0
    min_relation: -1.0
    max_relation: -0.2
    min_military: 10.0
    min_economic: 0.0
    difficulty: 30.0
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
  seize:
    cost: 2
    relation: -0.25
    amount: 0.3
    economy: 0.0
    self_economy: 0.0
    fighting: 0.5
    refused_relation: 0.0
    min_relation: -1.0
    max_relation: -0.1
    min_military: 10.0
    min_economic: 0.0
    difficulty: 15.0
params:
  tullock_k: 1.5
  drift: 0.05
  balance: 0.04
  fighting_decay: 0.35
  open_fighting: 0.5
  drawdown_rate: 0.2
  collapse_garrison: 0.08
  control_rate: 0.05
  garrison_presence: 0.15
  size_weights:
    military: 0.5
    economic: 0.3
    diplomatic: 0.2
  bargaining_q: 1.0
  bargaining_t: 1.0
  engagement_memory: 0.7
  alliance_switch: true
sanctions:
- USA-RUS
initial_us_engagement: 0.3
','e66bbad4bc0041d5c5ed1831afa7ed0cfa23b078886f01d299500bf3c415b757',12,4,'["SYR","USA"]','{"SYR":"d484412e970c9146ec2dcfddf0422bca8e53521fe572cdb95c64a5f5cb2f66e3","USA":"3eef69c45935d229027705fcc20dbcb54a7403b06234da9b7feb20052956a6c8"}','[{"turn":1,"orders":{"RUS":[{"kind":"recognise","target":"SYR"},{"kind":"deploy","base":"tartus"}],"SYR":[{"kind":"engage","target":"RUS"}],"USA":[{"kind":"engage","target":"RUS"}],"SDF":[{"kind":"demand","target":"USA","issue":"integration"}]}}]',1,'waiting','2026-12-01T09:08:38+00:00','2026-12-01T09:08:38+00:00');
CREATE TABLE pending (
    game_id   TEXT NOT NULL REFERENCES games(id) ON DELETE CASCADE,
    turn      INTEGER NOT NULL,               -- the coming turn the orders are for
    actor     TEXT NOT NULL,
    orders    TEXT NOT NULL,                  -- JSON list of order dicts
    submitted TEXT NOT NULL,
    seq       INTEGER NOT NULL,               -- submission order, to re-apply in the same order
    PRIMARY KEY (game_id, turn, actor)
);
INSERT INTO "pending" VALUES('v1human',2,'SYR','[{"kind":"engage","target":"RUS"}]','2026-12-01T09:08:38+00:00',1);
CREATE TABLE snapshots (
    game_id TEXT NOT NULL REFERENCES games(id) ON DELETE CASCADE,
    turn    INTEGER NOT NULL,
    state   TEXT NOT NULL,                    -- JSON model.state() after the turn
    record  TEXT NOT NULL,                    -- JSON indicator row of the turn
    PRIMARY KEY (game_id, turn)
);
INSERT INTO "snapshots" VALUES('v1ai',0,'{"turn":0,"date":"2025-11","max_turns":4,"done":false,"indicators":{"russia_bases_held":1,"syria_alignment":0.19999999999999998,"russia_isolation":0.7098930481283422,"russia_bloc_opposition":1.0,"kurdish_conflict":0.0,"sdf_damascus_fighting":0,"us_engagement":0.3,"alliance_shifts":0},"actors":[{"id":"RUS","name":"Russia","color":"#888888","capabilities":{"military":40.0,"economic":20.0,"diplomatic":30.0},"size":32.0,"bloc":0,"utility":2.643064295485636,"human":false,"action_points":2},{"id":"SYR","name":"Syria","color":"#888888","capabilities":{"military":20.0,"economic":5.0,"diplomatic":20.0},"size":15.5,"bloc":1,"utility":2.5599505866652326,"human":false,"action_points":2},{"id":"USA","name":"United States","color":"#888888","capabilities":{"military":60.0,"economic":80.0,"diplomatic":70.0},"size":68.0,"bloc":1,"utility":1.5,"human":false,"action_points":3},{"id":"SDF","name":"SDF","color":"#888888","capabilities":{"military":15.0,"economic":5.0,"diplomatic":5.0},"size":10.0,"bloc":1,"utility":2.2675675675675677,"human":false,"action_points":2}],"relations":[[0.0,0.1,-0.6,0.0],[0.1,0.0,0.3,-0.2],[-0.6,0.3,0.0,0.5],[0.0,-0.2,0.5,0.0]],"bases":[{"id":"tartus","name":"Tartus","lat":34.915,"lon":35.874,"region":"tartus","kind":"naval","controller":"RUS","status":"active","garrison":0.6,"value":{"RUS":1.0,"SYR":0.4}},{"id":"al_tanf","name":"Al-Tanf","lat":33.50583,"lon":38.61778,"region":"homs","kind":"garrison","controller":"USA","status":"active","garrison":0.5,"value":{"USA":0.6}},{"id":"qamishli","name":"Qamishli","lat":37.02056,"lon":41.19139,"region":"hasakah","kind":"airport","controller":"SDF","status":"active","garrison":0.3,"value":{"SDF":0.5,"SYR":0.5}}],"regions":[{"id":"tartus","name":"Tartus","iso":"SY-TA","control":{"SYR":1.0}},{"id":"homs","name":"Homs","iso":"SY-HI","control":{"SYR":0.9,"USA":0.1}},{"id":"hasakah","name":"Hasakah","iso":"SY-HA","control":{"SYR":0.15,"SDF":0.85}}],"issues":[{"id":"basing","name":"Russian basing rights","forecast":46.306,"scale":[0.0,100.0],"positions":{"RUS":100.0,"SYR":50.0,"USA":0.0,"SDF":40.0}},{"id":"integration","name":"SDF integration","forecast":63.243,"scale":[0.0,100.0],"positions":{"RUS":70.0,"SYR":100.0,"USA":60.0,"SDF":20.0}}],"events":[],"waiting_for":[]}','{"turn":0,"date":"2025-11","russia_bases_held":1,"syria_alignment":0.19999999999999998,"russia_isolation":0.7098930481283422,"russia_bloc_opposition":1.0,"kurdish_conflict":0.0,"sdf_damascus_fighting":0,"us_engagement":0.3,"alliance_shifts":0,"base.tartus.controller":"RUS","base.tartus.status":"active","base.tartus.garrison":0.6,"base.al_tanf.controller":"USA","base.al_tanf.status":"active","base.al_tanf.garrison":0.5,"base.qamishli.controller":"SDF","base.qamishli.status":"active","base.qamishli.garrison":0.3,"region.tartus.RUS":0.0,"region.tartus.SYR":1.0,"region.tartus.USA":0.0,"region.tartus.SDF":0.0,"region.homs.RUS":0.0,"region.homs.SYR":0.9,"region.homs.USA":0.1,"region.homs.SDF":0.0,"region.hasakah.RUS":0.0,"region.hasakah.SYR":0.15,"region.hasakah.USA":0.0,"region.hasakah.SDF":0.85,"relation.RUS.SYR":0.1,"relation.RUS.USA":-0.6,"relation.RUS.SDF":0.0,"relation.SYR.USA":0.3,"relation.SYR.SDF":-0.2,"relation.USA.SDF":0.5,"utility.RUS":2.643064295485636,"utility.SYR":2.5599505866652326,"utility.USA":1.5,"utility.SDF":2.2675675675675677,"bloc.RUS":0,"bloc.SYR":1,"bloc.USA":1,"bloc.SDF":1,"issue.basing.forecast":46.306429548563614,"issue.integration.forecast":63.243243243243235}');
INSERT INTO "snapshots" VALUES('v1ai',1,'{"turn":1,"date":"2025-12","max_turns":4,"done":false,"indicators":{"russia_bases_held":1,"syria_alignment":0.4029000000000001,"russia_isolation":0.7020248128342246,"russia_bloc_opposition":1.0,"kurdish_conflict":0.0,"sdf_damascus_fighting":0,"us_engagement":0.51,"alliance_shifts":0},"actors":[{"id":"RUS","name":"Russia","color":"#888888","capabilities":{"military":40.0,"economic":20.0,"diplomatic":30.0},"size":32.0,"bloc":0,"utility":2.88768,"human":false,"action_points":2},{"id":"SYR","name":"Syria","color":"#888888","capabilities":{"military":20.0,"economic":7.5,"diplomatic":20.0},"size":15.5,"bloc":1,"utility":2.883614362854895,"human":false,"action_points":2},{"id":"USA","name":"United States","color":"#888888","capabilities":{"military":60.0,"economic":79.4,"diplomatic":70.0},"size":68.0,"bloc":1,"utility":1.7905800000000003,"human":false,"action_points":3},{"id":"SDF","name":"SDF","color":"#888888","capabilities":{"military":15.0,"economic":5.0,"diplomatic":5.0},"size":10.0,"bloc":1,"utility":2.300645933014354,"human":false,"action_points":2}],"relations":[[0.0,0.1877,-0.5976,-0.0054],[0.1877,0.0,0.5906,-0.1954],[-0.5976,0.5906,0.0,0.3836],[-0.0054,-0.1954,0.3836,0.0]],"bases":[{"id":"tartus","name":"Tartus","lat":34.915,"lon":35.874,"region":"tartus","kind":"naval","controller":"RUS","status":"active","garrison":0.75,"value":{"RUS":1.0,"SYR":0.4}},{"id":"al_tanf","name":"Al-Tanf","lat":33.50583,"lon":38.61778,"region":"homs","kind":"garrison","controller":"USA","status":"active","garrison":0.5,"value":{"USA":0.6}},{"id":"qamishli","name":"Qamishli","lat":37.02056,"lon":41.19139,"region":"hasakah","kind":"airport","controller":"SDF","status":"active","garrison":0.3,"value":{"SDF":0.5,"SYR":0.5}}],"regions":[{"id":"tartus","name":"Tartus","iso":"SY-TA","control":{"RUS":0.0051,"SYR":0.9949}},{"id":"homs","name":"Homs","iso":"SY-HI","control":{"SYR":0.8969,"USA":0.1031}},{"id":"hasakah","name":"Hasakah","iso":"SY-HA","control":{"SYR":0.1497,"SDF":0.8503}}],"issues":[{"id":"basing","name":"Russian basing rights","forecast":50.0,"scale":[0.0,100.0],"positions":{"RUS":50.0,"SYR":50.0,"USA":50.0,"SDF":50.0}},{"id":"integration","name":"SDF integration","forecast":60.0,"scale":[0.0,100.0],"positions":{"RUS":60.0,"SYR":60.0,"USA":60.0,"SDF":60.0}}],"events":[{"turn":1,"date":"2025-12","kind":"event","actors":["SYR"],"sentence":"An ISIS cell attacked a checkpoint in the desert.","numbers":{"event":"isis_attack","p":0.3,"draw":0.1286,"effects":"SYR economic -0.5"},"phase":"nature"},{"turn":1,"date":"2025-12","kind":"recognise","actors":["RUS","SYR"],"sentence":"Russia recognised Syria (relation +0.10).","numbers":{"relation":0.2,"delta":0.1},"phase":"diplomacy"},{"turn":1,"date":"2025-12","kind":"recognise","actors":["SYR","USA"],"sentence":"Syria recognised United States (relation +0.10).","numbers":{"relation":0.4,"delta":0.1},"phase":"diplomacy"},{"turn":1,"date":"2025-12","kind":"engage","actors":["SYR","USA"],"sentence":"Syria engaged United States (relation +0.06).","numbers":{"relation":0.46,"delta":0.06},"phase":"diplomacy"},{"turn":1,"date":"2025-12","kind":"recognise","actors":["USA","SYR"],"sentence":"United States recognised Syria (relation +0.10).","numbers":{"relation":0.56,"delta":0.1},"phase":"diplomacy"},{"turn":1,"date":"2025-12","kind":"demand","actors":["SDF","USA"],"sentence":"SDF demanded movement on SDF integration from United States; United States refused (relation -0.12).","numbers":{"p":0.2266,"draw":0.8051,"delta":-0.12},"phase":"diplomacy"},{"turn":1,"date":"2025-12","kind":"invest","actors":["USA","SYR"],"sentence":"United States invested in Syria (relation +0.05).","numbers":{"relation":0.61,"delta":0.05},"phase":"economy"},{"turn":1,"date":"2025-12","kind":"deploy","actors":["RUS"],"sentence":"Russia reinforced its garrison at Tartus (garrison 0.75).","numbers":{"base":"tartus","garrison":0.75},"phase":"military"}],"waiting_for":[]}','{"turn":1,"date":"2025-12","russia_bases_held":1,"syria_alignment":0.4029000000000001,"russia_isolation":0.7020248128342246,"russia_bloc_opposition":1.0,"kurdish_conflict":0.0,"sdf_damascus_fighting":0,"us_engagement":0.51,"alliance_shifts":0,"base.tartus.controller":"RUS","base.tartus.status":"active","base.tartus.garrison":0.75,"base.al_tanf.controller":"USA","base.al_tanf.status":"active","base.al_tanf.garrison":0.5,"base.qamishli.controller":"SDF","base.qamishli.status":"active","base.qamishli.garrison":0.3,"region.tartus.RUS":0.0050561797752808986,"region.tartus.SYR":0.994943820224719,"region.tartus.USA":0.0,"region.tartus.SDF":0.0,"region.homs.RUS":0.0,"region.homs.SYR":0.896860465116279,"region.homs.USA":0.10313953488372093,"region.homs.SDF":0.0,"region.hasakah.RUS":0.0,"region.hasakah.SYR":0.14967703349282296,"region.hasakah.USA":0.0,"region.hasakah.SDF":0.850322966507177,"relation.RUS.SYR":0.18768,"relation.RUS.USA":-0.59756,"relation.RUS.SDF":-0.00536,"relation.SYR.USA":0.5905800000000001,"relation.SYR.SDF":-0.195364,"relation.USA.SDF":0.38356,"utility.RUS":2.88768,"utility.SYR":2.883614362854895,"utility.USA":1.7905800000000003,"utility.SDF":2.300645933014354,"bloc.RUS":0,"bloc.SYR":1,"bloc.USA":1,"bloc.SDF":1,"issue.basing.forecast":50.00000000000001,"issue.integration.forecast":59.99999999999999}');
INSERT INTO "snapshots" VALUES('v1human',0,'{"turn":0,"date":"2025-11","max_turns":4,"done":false,"indicators":{"russia_bases_held":1,"syria_alignment":0.19999999999999998,"russia_isolation":0.7098930481283422,"russia_bloc_opposition":1.0,"kurdish_conflict":0.0,"sdf_damascus_fighting":0,"us_engagement":0.3,"alliance_shifts":0},"actors":[{"id":"RUS","name":"Russia","color":"#888888","capabilities":{"military":40.0,"economic":20.0,"diplomatic":30.0},"size":32.0,"bloc":0,"utility":2.643064295485636,"human":false,"action_points":2},{"id":"SYR","name":"Syria","color":"#888888","capabilities":{"military":20.0,"economic":5.0,"diplomatic":20.0},"size":15.5,"bloc":1,"utility":2.5599505866652326,"human":true,"action_points":2},{"id":"USA","name":"United States","color":"#888888","capabilities":{"military":60.0,"economic":80.0,"diplomatic":70.0},"size":68.0,"bloc":1,"utility":1.5,"human":true,"action_points":3},{"id":"SDF","name":"SDF","color":"#888888","capabilities":{"military":15.0,"economic":5.0,"diplomatic":5.0},"size":10.0,"bloc":1,"utility":2.2675675675675677,"human":false,"action_points":2}],"relations":[[0.0,0.1,-0.6,0.0],[0.1,0.0,0.3,-0.2],[-0.6,0.3,0.0,0.5],[0.0,-0.2,0.5,0.0]],"bases":[{"id":"tartus","name":"Tartus","lat":34.915,"lon":35.874,"region":"tartus","kind":"naval","controller":"RUS","status":"active","garrison":0.6,"value":{"RUS":1.0,"SYR":0.4}},{"id":"al_tanf","name":"Al-Tanf","lat":33.50583,"lon":38.61778,"region":"homs","kind":"garrison","controller":"USA","status":"active","garrison":0.5,"value":{"USA":0.6}},{"id":"qamishli","name":"Qamishli","lat":37.02056,"lon":41.19139,"region":"hasakah","kind":"airport","controller":"SDF","status":"active","garrison":0.3,"value":{"SDF":0.5,"SYR":0.5}}],"regions":[{"id":"tartus","name":"Tartus","iso":"SY-TA","control":{"SYR":1.0}},{"id":"homs","name":"Homs","iso":"SY-HI","control":{"SYR":0.9,"USA":0.1}},{"id":"hasakah","name":"Hasakah","iso":"SY-HA","control":{"SYR":0.15,"SDF":0.85}}],"issues":[{"id":"basing","name":"Russian basing rights","forecast":46.306,"scale":[0.0,100.0],"positions":{"RUS":100.0,"SYR":50.0,"USA":0.0,"SDF":40.0}},{"id":"integration","name":"SDF integration","forecast":63.243,"scale":[0.0,100.0],"positions":{"RUS":70.0,"SYR":100.0,"USA":60.0,"SDF":20.0}}],"events":[],"waiting_for":["SYR","USA"]}','{"turn":0,"date":"2025-11","russia_bases_held":1,"syria_alignment":0.19999999999999998,"russia_isolation":0.7098930481283422,"russia_bloc_opposition":1.0,"kurdish_conflict":0.0,"sdf_damascus_fighting":0,"us_engagement":0.3,"alliance_shifts":0,"base.tartus.controller":"RUS","base.tartus.status":"active","base.tartus.garrison":0.6,"base.al_tanf.controller":"USA","base.al_tanf.status":"active","base.al_tanf.garrison":0.5,"base.qamishli.controller":"SDF","base.qamishli.status":"active","base.qamishli.garrison":0.3,"region.tartus.RUS":0.0,"region.tartus.SYR":1.0,"region.tartus.USA":0.0,"region.tartus.SDF":0.0,"region.homs.RUS":0.0,"region.homs.SYR":0.9,"region.homs.USA":0.1,"region.homs.SDF":0.0,"region.hasakah.RUS":0.0,"region.hasakah.SYR":0.15,"region.hasakah.USA":0.0,"region.hasakah.SDF":0.85,"relation.RUS.SYR":0.1,"relation.RUS.USA":-0.6,"relation.RUS.SDF":0.0,"relation.SYR.USA":0.3,"relation.SYR.SDF":-0.2,"relation.USA.SDF":0.5,"utility.RUS":2.643064295485636,"utility.SYR":2.5599505866652326,"utility.USA":1.5,"utility.SDF":2.2675675675675677,"bloc.RUS":0,"bloc.SYR":1,"bloc.USA":1,"bloc.SDF":1,"issue.basing.forecast":46.306429548563614,"issue.integration.forecast":63.243243243243235}');
INSERT INTO "snapshots" VALUES('v1human',1,'{"turn":1,"date":"2025-12","max_turns":4,"done":false,"indicators":{"russia_bases_held":1,"syria_alignment":0.04691200000000001,"russia_isolation":0.6765432085561498,"russia_bloc_opposition":1.0,"kurdish_conflict":0.0,"sdf_damascus_fighting":0,"us_engagement":0.21,"alliance_shifts":0},"actors":[{"id":"RUS","name":"Russia","color":"#888888","capabilities":{"military":40.0,"economic":20.0,"diplomatic":30.0},"size":32.0,"bloc":0,"utility":2.94876,"human":false,"action_points":2},{"id":"SYR","name":"Syria","color":"#888888","capabilities":{"military":20.0,"economic":4.5,"diplomatic":20.0},"size":15.5,"bloc":1,"utility":2.588706362854895,"human":true,"action_points":2},{"id":"USA","name":"United States","color":"#888888","capabilities":{"military":60.0,"economic":80.0,"diplomatic":70.0},"size":68.0,"bloc":1,"utility":1.4956720000000001,"human":true,"action_points":3},{"id":"SDF","name":"SDF","color":"#888888","capabilities":{"military":15.0,"economic":5.0,"diplomatic":5.0},"size":10.0,"bloc":1,"utility":2.300645933014354,"human":false,"action_points":2}],"relations":[[0.0,0.2488,-0.5414,-0.0051],[0.2488,0.0,0.2957,-0.1977],[-0.5414,0.2957,0.0,0.3848],[-0.0051,-0.1977,0.3848,0.0]],"bases":[{"id":"tartus","name":"Tartus","lat":34.915,"lon":35.874,"region":"tartus","kind":"naval","controller":"RUS","status":"active","garrison":0.75,"value":{"RUS":1.0,"SYR":0.4}},{"id":"al_tanf","name":"Al-Tanf","lat":33.50583,"lon":38.61778,"region":"homs","kind":"garrison","controller":"USA","status":"active","garrison":0.5,"value":{"USA":0.6}},{"id":"qamishli","name":"Qamishli","lat":37.02056,"lon":41.19139,"region":"hasakah","kind":"airport","controller":"SDF","status":"active","garrison":0.3,"value":{"SDF":0.5,"SYR":0.5}}],"regions":[{"id":"tartus","name":"Tartus","iso":"SY-TA","control":{"RUS":0.0051,"SYR":0.9949}},{"id":"homs","name":"Homs","iso":"SY-HI","control":{"SYR":0.8969,"USA":0.1031}},{"id":"hasakah","name":"Hasakah","iso":"SY-HA","control":{"SYR":0.1497,"SDF":0.8503}}],"issues":[{"id":"basing","name":"Russian basing rights","forecast":50.0,"scale":[0.0,100.0],"positions":{"RUS":50.0,"SYR":50.0,"USA":50.0,"SDF":50.0}},{"id":"integration","name":"SDF integration","forecast":60.0,"scale":[0.0,100.0],"positions":{"RUS":60.0,"SYR":60.0,"USA":60.0,"SDF":60.0}}],"events":[{"turn":1,"date":"2025-12","kind":"event","actors":["SYR"],"sentence":"An ISIS cell attacked a checkpoint in the desert.","numbers":{"event":"isis_attack","p":0.3,"draw":0.2508,"effects":"SYR economic -0.5"},"phase":"nature"},{"turn":1,"date":"2025-12","kind":"recognise","actors":["RUS","SYR"],"sentence":"Russia recognised Syria (relation +0.10).","numbers":{"relation":0.2,"delta":0.1},"phase":"diplomacy"},{"turn":1,"date":"2025-12","kind":"engage","actors":["SYR","RUS"],"sentence":"Syria engaged Russia (relation +0.06).","numbers":{"relation":0.26,"delta":0.06},"phase":"diplomacy"},{"turn":1,"date":"2025-12","kind":"engage","actors":["USA","RUS"],"sentence":"United States engaged Russia (relation +0.06).","numbers":{"relation":-0.54,"delta":0.06},"phase":"diplomacy"},{"turn":1,"date":"2025-12","kind":"demand","actors":["SDF","USA"],"sentence":"SDF demanded movement on SDF integration from United States; United States refused (relation -0.12).","numbers":{"p":0.2266,"draw":0.4045,"delta":-0.12},"phase":"diplomacy"},{"turn":1,"date":"2025-12","kind":"deploy","actors":["RUS"],"sentence":"Russia reinforced its garrison at Tartus (garrison 0.75).","numbers":{"base":"tartus","garrison":0.75},"phase":"military"}],"waiting_for":["SYR","USA"]}','{"turn":1,"date":"2025-12","russia_bases_held":1,"syria_alignment":0.04691200000000001,"russia_isolation":0.6765432085561498,"russia_bloc_opposition":1.0,"kurdish_conflict":0.0,"sdf_damascus_fighting":0,"us_engagement":0.21,"alliance_shifts":0,"base.tartus.controller":"RUS","base.tartus.status":"active","base.tartus.garrison":0.75,"base.al_tanf.controller":"USA","base.al_tanf.status":"active","base.al_tanf.garrison":0.5,"base.qamishli.controller":"SDF","base.qamishli.status":"active","base.qamishli.garrison":0.3,"region.tartus.RUS":0.0050561797752808986,"region.tartus.SYR":0.994943820224719,"region.tartus.USA":0.0,"region.tartus.SDF":0.0,"region.homs.RUS":0.0,"region.homs.SYR":0.896860465116279,"region.homs.USA":0.10313953488372093,"region.homs.SDF":0.0,"region.hasakah.RUS":0.0,"region.hasakah.SYR":0.14967703349282296,"region.hasakah.USA":0.0,"region.hasakah.SDF":0.850322966507177,"relation.RUS.SYR":0.24875999999999998,"relation.RUS.USA":-0.54144,"relation.RUS.SDF":-0.005144000000000001,"relation.SYR.USA":0.295672,"relation.SYR.SDF":-0.19772,"relation.USA.SDF":0.38480000000000003,"utility.RUS":2.94876,"utility.SYR":2.588706362854895,"utility.USA":1.4956720000000001,"utility.SDF":2.300645933014354,"bloc.RUS":0,"bloc.SYR":1,"bloc.USA":1,"bloc.SDF":1,"issue.basing.forecast":50.00000000000001,"issue.integration.forecast":59.99999999999999}');
CREATE INDEX games_created ON games(created);
COMMIT;
