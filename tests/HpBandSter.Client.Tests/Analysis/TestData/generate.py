# Writes the HpBandSter-style logs the analysis tests read, exactly as HpBandSter 0.7.4's json_result_logger
# writes them: json.dumps with its defaults (", "/": " separators, ensure_ascii, allow_nan) and one line per event.
# The files are committed; this script documents how they were made (python3 generate.py rewrites them).
import json
import os

T0 = 1534077946.9809837
TRACEBACK = ('Traceback (most recent call last):\n  File "/home/user/worker.py", line 42, in compute\n'
             '    raise ValueError("diverged: loss is \\"nan\\" at r\u00e9sum\u00e9")\nValueError: diverged\n')


def write(directory, configs, results):
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, 'configs.json'), 'w') as fh:
        for line in configs:
            fh.write(json.dumps(line))
            fh.write('\n')
    with open(os.path.join(directory, 'results.json'), 'w') as fh:
        for line in results:
            fh.write(json.dumps(line))
            fh.write('\n')


def config(i, optimizer, lr, layers, momentum=None, extra=None):  # noqa: ARG001 (i documents the position)
    c = {'lr': lr, 'num_layers': layers, 'optimizer': optimizer}
    if momentum is not None:
        c['sgd_momentum'] = momentum
    if extra is not None:
        c.update(extra)
    return c


# --- bohb_run: canonical logs of a BOHB run (budgets 1, 3, 9), with a crash (traceback), a dead worker and an
# infinite loss; results in finish order, so exporting them again reproduces the files byte for byte.
configs = []
results = []
clock = [T0]


def tick(dt):
    clock[0] += dt
    return clock[0]


def result(cid, budget, loss, info=None, exception=None, dt=1.25):
    submitted = tick(0.0312)
    started = tick(0.0004)
    finished = tick(dt)
    res = None if loss is None else {'loss': loss, 'info': info}
    results.append([list(cid), budget, {'submitted': submitted, 'started': started, 'finished': finished}, res, exception])


# iteration 0: nine random configs on budget 1
hp0 = [
    ('Adam', 1e-05, 2, None), ('SGD', 0.1, 3, 0.9), ('Adam', 0.001, 1, None), ('SGD', 0.01, 4, 0.5),
    ('Adam', 3.617188990516118e-06, 2, None), ('SGD', 0.05, 2, 0.99), ('Adam', 0.0003, 3, None),
    ('SGD', 1.5e-07, 1, 0.0), ('Adam', 0.25, 4, None),
]
loss0 = [0.5, 0.3, 0.2, 0.45, None, 0.35, 0.15, 0.9, float('inf')]
for k, (opt, lr, layers, mom) in enumerate(hp0):
    configs.append([[0, 0, k], config(k, opt, lr, layers, mom), {'model_based_pick': False}])
for k, loss in enumerate(loss0):
    if loss is None:
        result((0, 0, k), 1.0, None, exception=TRACEBACK)
    else:
        result((0, 0, k), 1.0, loss, {'test accuracy': 1 - loss if loss != float('inf') else 0.0, 'number of parameters': 15829 + k})
# top three on budget 3: (0,0,6), (0,0,2), (0,0,1)
for k, loss in [(6, 0.12), (2, 0.1), (1, 0.2)]:
    result((0, 0, k), 3.0, loss, {'test accuracy': 1 - loss, 'epochs': 3})
# best on budget 9
result((0, 0, 2), 9.0, 0.08, {'test accuracy': 0.92, 'epochs': 9}, dt=3.5)

# iteration 1: four configs sampled on budget 3 (some by the model), all four then run on budget 9
hp1 = [('Adam', 0.002, 2, None, True), ('SGD', 0.02, 3, 0.95, True), ('Adam', 100.0, 1, None, False), ('SGD', 0.03, 2, 0.8, True)]
for k, (opt, lr, layers, mom, model) in enumerate(hp1):
    extra = {'clip_norm': 1e+16} if k == 2 else None  # a hyperparameter only one configuration has
    configs.append([[1, 0, k], config(k, opt, lr, layers, mom, extra), {'model_based_pick': model}])
loss1_3 = [0.11, 0.07, 0.4, 0.13]
loss1_9 = [0.06, 0.1, None, 0.05]
for k, loss in enumerate(loss1_3):
    result((1, 0, k), 3.0, loss, {'test accuracy': 1 - loss, 'epochs': 3})
for k, loss in enumerate(loss1_9):
    if loss is None:
        result((1, 0, k), 9.0, None, exception='Worker died unexpectedly.', dt=2.0)
    else:
        result((1, 0, k), 9.0, loss, {'test accuracy': 1 - loss, 'epochs': 9, 'note': 'large "model", path C:\\runs'}, dt=3.0)

write('bohb_run', configs, results)

# --- legacy_run: what older HpBandSter versions and hand-made scripts leave: 2-element config lines (no config_info),
# time_stamps keys in another order (HpBandSter issue #32), a result line whose info is null, a crashed run.
legacy_configs = [
    [[0, 0, 0], {'x': 0.5}],
    [[0, 0, 1], {'x': 1e-05}],
    [[0, 0, 2], {'x': 2.0, 'mode': 'fast'}],
]
legacy_results = [
    [[0, 0, 0], 1.0, {'finished': 1544192253.4073746, 'started': 1544191887.3157759, 'submitted': 1544191887.3152575}, {'loss': 0.7, 'info': None}, None],
    [[0, 0, 1], 1.0, {'submitted': 1544191887.3152575, 'finished': 1544192260.5, 'started': 1544191890.0}, {'loss': 0.4, 'info': {}}, None],
    [[0, 0, 2], 1.0, {'started': 1544191891.0, 'submitted': 1544191887.9, 'finished': 1544192270.25}, None, TRACEBACK],
    [[0, 0, 1], 3.0, {'finished': 1544192400.0, 'started': 1544192300.0, 'submitted': 1544192290.0}, {'loss': 0.35, 'info': {'epochs': 3}}, None],
]
write('legacy_run', legacy_configs, legacy_results)

# --- missing_config: results.json line 3 refers to [0, 0, 7], which configs.json lacks (HpBandSter: KeyError, issue #68).
missing_configs = [[[0, 0, 0], {'x': 0.5}, {}], [[0, 0, 1], {'x': 0.25}, {}]]
missing_results = [
    [[0, 0, 0], 1.0, {'submitted': 10.0, 'started': 10.5, 'finished': 11.0}, {'loss': 0.5, 'info': {}}, None],
    [[0, 0, 1], 1.0, {'submitted': 10.0, 'started': 11.0, 'finished': 12.0}, {'loss': 0.25, 'info': {}}, None],
    [[0, 0, 7], 1.0, {'submitted': 10.0, 'started': 12.0, 'finished': 13.0}, {'loss': 0.1, 'info': {}}, None],
]
write('missing_config', missing_configs, missing_results)
