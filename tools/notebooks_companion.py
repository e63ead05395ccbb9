"""Write the sources of notebooks 07-10 (cells only, no outputs); `tools/build.py notebooks 07 08 09 10`
then executes them in place. Usage: python tools/notebooks_companion.py [NAME-FRAGMENT ...]"""
import sys

from cells import code, md, write


# --------------------------------------------------------------------------------------------
def softplus_and_ssr():
    return [
        md(r"""
# 07 · Softplus units and the sum of squared residuals

The networks so far squashed everything with a sigmoid and measured the error as $\tfrac12\sum(t-\text{out})^2$.
Here the same backpropagation runs on a different kind of network: one input (a drug dosage), two
**softplus** hidden units, an output that simply adds its inputs, and a loss that is the **sum of
squared residuals** (SSR) over three measured dosages.

You will learn to

- compute the SSR and its derivatives for the last layer's weights and bias by the chain rule;
- take gradient-descent steps where *step size = derivative × learning rate*, and stop when every
  step is tiny or a maximum number of steps is reached;
- fit the last layer alone, then all seven parameters, and draw the fitted curve.

Before this: [06 · training](06-training.ipynb). After this: [08 · the lecture network](08-lecture-network.ipynb).
"""),
        code(r"""
import numpy as np
import matplotlib.pyplot as plt
import backprop_lib as bp

net = bp.load("statquest")
print(net)
for name, value in net.params.items():
    print(f"{name:>3} = {value:+.2f}")
"""),
        md(r"""
## The data: three dosages

Each sample is a dosage and the efficacy that was observed: none at a low dose, full at a medium
dose, none again at a high dose. A straight line cannot do this; two bent units can.
"""),
        code(r"""
dosages = [s["dosage"] for s in net.samples]
observed = [s["efficacy"] for s in net.samples]
for d, o in zip(dosages, observed):
    print(f"dosage {d:.1f}  ->  observed efficacy {o:.0f}")
"""),
        md(r"""
## Forward: softplus, then a weighted sum

For sample $i$ the hidden units receive $x_{1,i} = w_1\,\text{dosage}_i + b_1$ and
$x_{2,i} = w_2\,\text{dosage}_i + b_2$ and pass them through the softplus

$$y = f(x) = \log\left(1 + e^{x}\right),$$

a smooth version of "zero below, straight line above". The output adds them up:

$$\text{Predicted}_i = w_3\,y_{1,i} + w_4\,y_{2,i} + b_3 .$$

`net.forward()` gives every unit's `net_` (the $x$) and `out_` (the $y$) for each sample.
"""),
        code(r"""
print(" dosage     x1        y1        x2        y2    predicted")
for d, f in zip(dosages, net.forward()):
    print(f"{d:6.1f} {f['net_y1']:9.4f} {f['out_y1']:9.4f} {f['net_y2']:9.4f} {f['out_y2']:9.4f} "
          f"{f['out_efficacy']:10.4f}")
"""),
        md(r"""
## The loss: sum of squared residuals

A residual is observed minus predicted. Squaring makes every miss count positively, and adding
them over the three samples gives one number to make small:

$$\text{SSR} = \sum_{i=1}^{3} (\text{observed}_i - \text{Predicted}_i)^2 .$$
"""),
        code(r"""
predicted = [p["efficacy"] for p in net.predictions()]
ssr_by_hand = sum((o - p) ** 2 for o, p in zip(observed, predicted))
print(f"SSR by hand:  {ssr_by_hand:.6f}")
print(f"net.loss():   {net.loss():.6f}")
assert np.isclose(ssr_by_hand, net.loss())
"""),
        md(r"""
## The chain rule for the last layer

The SSR depends on $w_3$ only through the predictions, so

$$\frac{d\,\text{SSR}}{d w_3} = \sum_i \frac{d\,\text{SSR}}{d\,\text{Predicted}_i}\cdot\frac{d\,\text{Predicted}_i}{d w_3}
= \sum_i -2\,(\text{observed}_i - \text{Predicted}_i)\cdot y_{1,i}.$$

The same pattern gives $w_4$ (with $y_{2,i}$ in place of $y_{1,i}$) and $b_3$ (with $1$, because
$b_3$ enters the prediction with slope one).

### Your turn

Type your number into the box and press *check* (a hint appears for the usual slips). The
solution is in the collapsed cell under the question.

**Exercise 1.** At the starting values, what is $\dfrac{d\,\text{SSR}}{d b_3}$? Add up
$-2(\text{observed}_i - \text{Predicted}_i)$ over the three dosages yourself (from `observed` and
`predicted`), then check your answer.
"""),
        code(r"""
bp.widgets.exercise("dE/db3", net=net)
"""),
        code(r"""
# Solution
answer = sum(-2 * (o - p) for o, p in zip(observed, predicted))
bp.check("dE/db3", answer, net=net)
""", hidden=True),
        md(r"""
Below the three sums are written out and compared with the library's backpropagation; the line for
$b_3$ is exercise 1.
"""),
        code(r"""
forward = net.forward()
d_ssr_d_pred = [-2 * (o - p) for o, p in zip(observed, predicted)]
by_hand = {
    "w3": sum(g * f["out_y1"] for g, f in zip(d_ssr_d_pred, forward)),
    "w4": sum(g * f["out_y2"] for g, f in zip(d_ssr_d_pred, forward)),
    "b3": sum(g * 1.0 for g in d_ssr_d_pred),
}
grads = net.gradients()
for name, value in by_hand.items():
    print(f"dSSR/d{name}: by hand {value:+.6f}   net.gradients() {grads[name]:+.6f}")
    assert np.isclose(value, grads[name])
"""),
        md(r"""
## One step downhill

The **step size** is the derivative times the learning rate; the new value is the old one minus the
step. A positive derivative means "increasing this raises the SSR", so we move the other way.

**Exercise 2.** Take one step of stage 1 with learning rate 0.1 by hand: what is the new $w_3$? The
step cell after the solution prints it (to four decimals): try first, then compare.
"""),
        code(r"""
bp.widgets.exercise("w3+", net=net)
"""),
        code(r"""
# Solution
answer = net.params["w3"] - 0.1 * net.gradients()["w3"]
bp.check("w3+", answer, net=net)
""", hidden=True),
        code(r"""
lr = 0.1
for name in ("w3", "w4", "b3"):
    step = grads[name] * lr
    print(f"{name}: step size {grads[name]:+.4f} x {lr} = {step:+.4f}   "
          f"new {name} = {net.params[name]:+.4f} - ({step:+.4f}) = {net.params[name] - step:+.4f}")
"""),
        md(r"""
## Repeat until the steps are tiny

Gradient descent repeats that step. Two rules say when to stop: every step size has become tiny
(the SSR is flat here, so we are at the bottom), or we have taken the maximum number of steps
(in case it never flattens). The function below trains only the parameters named in `trainable`;
all others stay where they are.
"""),
        code(r"""
def descend(net, trainable, lr=0.1, tiny=1e-5, max_steps=2000):
    # Gradient descent on the named parameters only; returns the final network and the steps taken.
    for step in range(1, max_steps + 1):
        grads = net.gradients()
        step_sizes = {name: grads[name] * lr for name in trainable}
        net = net.with_params(**{name: net.params[name] - s for name, s in step_sizes.items()})
        if all(abs(s) < tiny for s in step_sizes.values()):
            return net, step, "every step size below tiny"
    return net, max_steps, "maximum number of steps"
"""),
        md(r"""
## Stage 1: only $w_3$, $w_4$ and $b_3$

The first-layer parameters $w_1, b_1, w_2, b_2$ are held at their values; the last layer starts from
$w_3 = 0.36$, $w_4 = 0.63$, $b_3 = 0$.
"""),
        code(r"""
stage1, steps1, why1 = descend(net, ["w3", "w4", "b3"])
print(f"stopped after {steps1} steps: {why1}")
for name in ("w3", "w4", "b3"):
    print(f"{name}: {net.params[name]:+.2f} -> {stage1.params[name]:+.4f}  (about {stage1.params[name]:+.2f})")
print(f"SSR: {net.loss():.4f} -> {stage1.loss():.1e}")
"""),
        md(r"""
The library's `net.train` does the same descent for a fixed number of steps; `freeze` names the
parameters that must not move. Run for the same number of steps, it lands on the same values:
"""),
        code(r"""
trained = net.train(steps=steps1, lr=0.1, freeze=("w1", "b1", "w2", "b2"))
for name in ("w3", "w4", "b3"):
    print(f"{name}: loop {stage1.params[name]:+.6f}   net.train {trained.params[name]:+.6f}")
    assert np.isclose(stage1.params[name], trained.params[name])
"""),
        md(r"""
## Stage 2: all seven parameters

Now every weight and bias moves, starting again from the original values. Three free parameters
were already enough to pass through three points; with seven there are many exact fits, and gradient
descent finds one of them — a different curve through the same three points, as the plot below shows.
Here `net.train` runs the steps in blocks of 500, and the stopping rule is checked after each block.
"""),
        code(r"""
def descend_all(net, lr=0.1, tiny=1e-5, block=500, max_steps=20_000):
    # Train every parameter in blocks of `block` steps; stop once every step size is tiny.
    taken = 0
    while taken < max_steps:
        net = net.with_params(**net.train(steps=block, lr=lr).params)
        taken += block
        if all(abs(g * lr) < tiny for g in net.gradients().values()):
            return net, taken, "every step size below tiny"
    return net, taken, "maximum number of steps"


stage2, steps2, why2 = descend_all(net)
print(f"stopped after {steps2} steps: {why2}")
for name in net.params:
    print(f"{name:>3}: {net.params[name]:+.2f} -> {stage2.params[name]:+.3f}")
print(f"SSR: {net.loss():.4f} -> {stage2.loss():.2e}" if stage2.loss() >= 1e-6 else
      f"SSR: {net.loss():.4f} -> below 1e-6")
"""),
        md(r"""
## The fitted curves

To draw a curve we need predictions at many dosages, not only at the three measured ones. A copy
of the spec with a grid of dosages as its data does that; its targets are placeholders and are
never used.
"""),
        code(r"""
grid = np.linspace(0, 1, 101)
grid_spec = {**net.spec, "data": [{"dosage": float(d), "efficacy": 0.0} for d in grid]}


def curve(params):
    return np.array([p["efficacy"] for p in bp.load(grid_spec).with_params(**params).predictions()])


fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(grid, curve(net.params), ":", color="grey", label="start")
ax.plot(grid, curve(stage1.params), label="stage 1: w3, w4, b3")
ax.plot(grid, curve(stage2.params), label="stage 2: all seven")
ax.plot(dosages, observed, "o", color="black", label="observed")
ax.set_xlabel("dosage")
ax.set_ylabel("efficacy")
ax.legend(fontsize=8)
plt.show()
for label, fitted in (("stage 1", stage1), ("stage 2", stage2)):
    values = ", ".join(f"{round(p['efficacy'], 3) + 0.0:.3f}" for p in fitted.predictions())
    print(f"{label} predictions at dosages 0, 0.5, 1: {values}")
"""),
        md(r"""
## How stage 1 gets there

The curve after a few chosen numbers of stage-1 steps: the bend is there from the start (the first layer
is fixed); the last layer only learns to turn it upside down and lift it.
"""),
        code(r"""
fig, ax = plt.subplots(figsize=(6, 3.5))
for k in (0, 20, 100, 200, steps1):
    shown = net.with_params(**net.train(steps=k, lr=0.1, freeze=("w1", "b1", "w2", "b2")).params)
    ax.plot(grid, curve(shown.params), label=f"{k} steps")
    print(f"after {k:3d} steps: w3 {shown.params['w3']:+.3f}  w4 {shown.params['w4']:+.3f}  "
          f"b3 {shown.params['b3']:+.3f}  SSR {shown.loss():.4f}")
ax.plot(dosages, observed, "o", color="black")
ax.set_xlabel("dosage")
ax.set_ylabel("efficacy")
ax.legend(fontsize=8)
plt.show()
"""),
        md(r"""
## Play: train all seven parameters

Choose a learning rate and a number of steps, then press *train*: the loss curve, the outputs against the
observed values, and a sweep of learning rates follow. Try a learning rate of 1 or more.
"""),
        code(r"""
explorer = bp.widgets.training_explorer(net)
n = explorer.numbers
print(f"learning rate {n['learning_rate']:g}, {n['steps']} steps: SSR {n['E_total before']:.6f} -> "
      f"{'below 1e-6' if n['E_total after'] < 1e-6 else format(n['E_total after'], '.6f')}")
print("predictions:", ", ".join(f"{round(n[f'out_efficacy[{s}]'], 4) + 0.0:.4f}" for s in range(3)))
explorer
"""),
        md(r"""
## Summary

- The same chain rule works for any activation and any loss: only the local derivatives change
  (softplus' derivative is the sigmoid; the SSR's is $-2(\text{observed}-\text{Predicted})$).
- Gradient descent steps by *derivative × learning rate* and stops when every step is tiny or after
  a maximum number of steps.
- Fitting only the last layer (the values printed in stage 1) already passes through the three points; freeing all seven parameters finds another exact fit, a
  different curve through the same points.

Next: [08 · the lecture network](08-lecture-network.ipynb), every gradient of a 2-2-1 network and what
the learning rate does.
"""),
    ]


# --------------------------------------------------------------------------------------------
def lecture_network():
    return [
        md(r"""
# 08 · The lecture network: every gradient, and the learning rate

The lecture works a smaller cousin of the 2-2-2 network: the same two inputs (0.05 and 0.10), the same
hidden layer with the shared bias $b_1$, but a single sigmoid output with target 0.01.

You will learn to

- list all eight gradients $\partial E/\partial w_1 \dots \partial E/\partial w_6$, $\partial E/\partial b_1$,
  $\partial E/\partial b_2$, with the shared $b_1$ collecting a part through each hidden unit;
- read the sign of a gradient from the signs of its factors;
- see what a learning rate of 0.0001 does to the first steps compared with 0.5.

Before this: [07 · softplus and SSR](07-softplus-and-ssr.ipynb). After this:
[09 · matrices and batches](09-matrices-and-batches.ipynb).
"""),
        code(r"""
import numpy as np
import matplotlib.pyplot as plt
import backprop_lib as bp

net = bp.load("lecture")
print(net)
print(net.samples[0])
"""),
        md(r"""
## Forward pass

$net_{h1} = w_1 x_1 + w_2 x_2 + b_1$, $out_{h1} = \sigma(net_{h1})$, likewise for $h_2$ with $w_3, w_4$,
then $net_{out} = w_5\,out_{h1} + w_6\,out_{h2} + b_2$ and $out_{out} = \sigma(net_{out})$. The loss is
$E = \tfrac12 (t - out_{out})^2$.
"""),
        code(r"""
forward = net.forward()[0]
for key in ("net_h1", "out_h1", "net_h2", "out_h2", "net_out", "out_out"):
    print(f"{key:>8} = {forward[key]:.9f}")
print(f"{'E':>8} = {net.loss():.9f}")
"""),
        md(r"""
## Backward: the messages

`net.deltas()` gives, for each unit, $\partial E/\partial out$ and $\partial E/\partial net$ — the numbers
backpropagation passes from the output back to the inputs. Each gradient is then one message times
one local factor.
"""),
        code(r"""
deltas = net.deltas()[0]
for key, value in deltas.items():
    print(f"{key:>14} = {value:+.9f}")
"""),
        md(r"""
## All eight gradients

| parameter | chain | local factor |
|---|---|---|
| $w_5$, $w_6$ | $\partial E/\partial net_{out}$ | $out_{h1}$, $out_{h2}$ |
| $b_2$ | $\partial E/\partial net_{out}$ | $1$ |
| $w_1$, $w_2$ | $\partial E/\partial net_{h1}$ | $x_1$, $x_2$ |
| $w_3$, $w_4$ | $\partial E/\partial net_{h2}$ | $x_1$, $x_2$ |
| $b_1$ | $\partial E/\partial net_{h1} + \partial E/\partial net_{h2}$ | $1$ each |

$b_1$ feeds both hidden units, so a wiggle of $b_1$ reaches the loss along two paths and its gradient is
the sum of both.
"""),
        md(r"""
### Your turn

Type your number into the box and press *check* (a hint appears for the usual slips). The
solution is in the collapsed cell under each question. The table after them holds both answers:
try first, then compare.

**1.** Multiply the three factors of $\partial E/\partial w_6$ yourself:
$\partial E/\partial out_{out}$, $out_{out}(1-out_{out})$ and $out_{h2}$ (all printed above).
"""),
        code(r"""
bp.widgets.exercise("dE/dw6", net=net)
"""),
        code(r"""
# Solution
answer = deltas["dE/dout_out"] * forward["out_out"] * (1 - forward["out_out"]) * forward["out_h2"]
bp.check("dE/dw6", answer, net=net)
""", hidden=True),
        md(r"""
**2.** The shared bias: add its two paths. What is $\partial E/\partial b_1$?
"""),
        code(r"""
bp.widgets.exercise("dE/db1", net=net)
"""),
        code(r"""
# Solution
answer = deltas["dE/dnet_h1"] + deltas["dE/dnet_h2"]
bp.check("dE/db1", answer, net=net)
""", hidden=True),
        md(r"""
The table builds each gradient from the messages and compares it with `net.gradients()`; the rows for
$w_6$ and $b_1$ are the two exercises.
"""),
        code(r"""
x1, x2 = net.samples[0]["x1"], net.samples[0]["x2"]
d_out, d_h1, d_h2 = deltas["dE/dnet_out"], deltas["dE/dnet_h1"], deltas["dE/dnet_h2"]
rows = [
    ("w1", "dE/dnet_h1 * x1", d_h1 * x1),
    ("w2", "dE/dnet_h1 * x2", d_h1 * x2),
    ("w3", "dE/dnet_h2 * x1", d_h2 * x1),
    ("w4", "dE/dnet_h2 * x2", d_h2 * x2),
    ("w5", "dE/dnet_out * out_h1", d_out * forward["out_h1"]),
    ("w6", "dE/dnet_out * out_h2", d_out * forward["out_h2"]),
    ("b1 via h1", "dE/dnet_h1 * 1", d_h1),
    ("b1 via h2", "dE/dnet_h2 * 1", d_h2),
    ("b1", "both paths added", d_h1 + d_h2),
    ("b2", "dE/dnet_out * 1", d_out),
]
grads = net.gradients()
print(f"{'gradient':<11}{'built from':<24}{'value':>14}{'net.gradients()':>18}")
for name, how, value in rows:
    library = f"{grads[name]:+.9f}" if name in grads else ""
    print(f"{name:<11}{how:<24}{value:+14.9f}{library:>18}")
    if name in grads:
        assert np.isclose(value, grads[name])
"""),
        md(r"""
The network diagram with each edge's gradient (red positive, blue negative):
"""),
        code(r"""
fig = bp.plots.network(net, gradients=True)
print({name: round(value, 6) for name, value in grads.items()})
fig
"""),
        md(r"""
The same sum for $b_1$ written as the chain rule, path by path (`net.chain`), with each factor's symbolic
form and its value:
"""),
        code(r"""
print(net.chain("b1").text())
"""),
        md(r"""
Pick any parameter in the explorer below to see its paths lit up in the diagram and its factors.
"""),
        code(r"""
chains = bp.widgets.chain_explorer(net, "w4")
print(chains.text())
chains
"""),
        md(r"""
## Reading a sign

$\partial E/\partial w_4$ is a product of five factors:
$\frac{\partial E}{\partial out_{out}}\cdot\frac{\partial out_{out}}{\partial net_{out}}\cdot w_6\cdot
\frac{\partial out_{h2}}{\partial net_{h2}}\cdot x_2$. The output is far above its target, so the
first factor is positive; a sigmoid's slope is always positive; $w_6$ and $x_2$ are positive. Five
positive factors make a positive gradient: increasing $w_4$ increases the error.
"""),
        code(r"""
factors = {
    "dE/dout_out": deltas["dE/dout_out"],
    "dout_out/dnet_out": deltas["dE/dnet_out"] / deltas["dE/dout_out"],
    "w6": net.params["w6"],
    "dout_h2/dnet_h2": forward["out_h2"] * (1 - forward["out_h2"]),
    "x2": x2,
}
for name, value in factors.items():
    print(f"{name:>18} = {value:+.6f}")
product = np.prod(list(factors.values()))
print(f"{'product':>18} = {product:+.9f}")
assert np.isclose(product, grads["w4"]) and product > 0
"""),
        md(r"""
## How big a step? Learning rate 0.0001 against 0.5

Every parameter moves by $\text{learning rate}\times\text{gradient}$. The lecture tries a learning rate of
0.0001: $w_5$ then moves by $0.0001 \times \partial E/\partial w_5$, which is hardly a move at all. The
table shows the first five steps for both rates.
"""),
        code(r"""
slow = net.train(steps=5, lr=0.0001)
fast = net.train(steps=5, lr=0.5)
print("step   E with lr 0.0001   E with lr 0.5")
for k in range(6):
    print(f"{k:4d}   {slow.losses[k]:.9f}      {fast.losses[k]:.9f}")
one_slow, one_fast = net.train(steps=1, lr=0.0001), net.train(steps=1, lr=0.5)
print(f"\nw5 after one step: lr 0.0001 -> {one_slow.params['w5']:.8f}, lr 0.5 -> {one_fast.params['w5']:.8f}")
print(f"the error falls by {slow.losses[0] - slow.losses[1]:.2e} per step at lr 0.0001 "
      f"and by {fast.losses[0] - fast.losses[1]:.2e} in the first step at lr 0.5")
"""),
        md(r"""
For small steps the fall in error per step is roughly $\text{learning rate}\times\lVert\nabla E\rVert^2$,
so 0.0001 is about $0.5 / 0.0001$ times slower than 0.5. How many small steps does it take to get as low as
one big step?
"""),
        code(r"""
sweep = net.sweep(lrs=[0.0001, 0.5], steps=6000)
target = sweep.losses[1, 1]
needed = int(np.argmax(sweep.losses[0] <= target))
print(f"one step at lr 0.5 reaches E = {target:.9f}")
print(f"lr 0.0001 needs {needed} steps to get there")
"""),
        code(r"""
runs = {"lr = 0.0001": net.train(steps=50, lr=0.0001), "lr = 0.5": net.train(steps=50, lr=0.5)}
fig = bp.plots.loss_curve(runs)
for label, run in runs.items():
    print(f"{label}: E after 50 steps {run.losses[-1]:.6f}")
fig
"""),
        md(r"""
## Play: choose a learning rate

Set the learning rate and the number of steps and press *train*. The right-hand plot trains a copy for each
of eleven learning rates from 0.001 to 100: past some point the steps overshoot, and the final loss rises
again instead of falling.
"""),
        code(r"""
explorer = bp.widgets.training_explorer(net)
print(explorer.text())
explorer
"""),
        md(r"""
## Summary

- Every gradient is a backpropagated message ($\partial E/\partial net$ of the unit the parameter feeds)
  times a local factor (the value on the other end of the edge, or 1 for a bias).
- A shared parameter such as $b_1$ adds up its paths.
- The sign of a gradient is the product of its factors' signs; here all eight gradients are positive,
  because the single output is too high.
- The learning rate scales every step: 0.0001 barely moves, 0.5 makes progress at once.

Next: [09 · matrices and batches](09-matrices-and-batches.ipynb).
"""),
    ]


# --------------------------------------------------------------------------------------------
def matrices_and_batches():
    return [
        md(r"""
# 09 · Matrices and batches

So far every weight had its own name and every number was computed one at a time. Real code stacks
the weights of a layer into a **matrix**, the errors of a layer into a **vector** $\delta$, and many
samples into a **batch**, so that one matrix product does the work of many small sums.

You will learn to

- write the 2-2-2 network as $W_1, b_1, W_2, b_2$ and run its forward and backward passes with NumPy;
- see that each weight gradient matrix is an **outer product** $\delta\,\text{out}^\top$, and check every
  number against `net.gradients()`;
- follow the **shapes** of every array through a batch of 32 samples;
- train a small classifier in matrix form and draw its decision boundary.

NumPy is written out in this notebook on purpose: the matrix form is the lesson.

Before this: [08 · the lecture network](08-lecture-network.ipynb). After this:
[10 · checking the notes](10-checking-the-notes.ipynb).
"""),
        code(r"""
import numpy as np
import matplotlib.pyplot as plt
import backprop_lib as bp

np.set_printoptions(precision=9, suppress=True)
net = bp.load("mazur")
print(net)
"""),
        md(r"""
## From named weights to matrices

Row $j$ of a layer's matrix holds the weights *into* unit $j$; column $k$ belongs to source $k$. For the
first layer

$$W_1 = \begin{pmatrix} w_1 & w_2 \\ w_3 & w_4 \end{pmatrix},\qquad
b_1 = \begin{pmatrix} b_1 \\ b_1 \end{pmatrix},\qquad
net_h = W_1\,x + b_1 .$$

The helper below reads any layer of a spec into a matrix, a bias vector and the parameter name in
every slot (so that gradients can be added back onto shared names later).
"""),
        code(r"""
def layer_matrices(net, k):
    # Layer k of the spec as (W, b, weight names, bias names); rows are units, columns are sources.
    layer = net.spec["layers"][k]
    sources = net.inputs if k == 0 else list(net.spec["layers"][k - 1]["neurons"])
    units = list(layer["neurons"])
    names = [[layer["neurons"][u]["weights"].get(s) for s in sources] for u in units]
    for u in units:
        assert set(layer["neurons"][u]["weights"]) <= set(sources), f"{u} skips a layer"
    bias_names = [layer["neurons"][u]["bias"] for u in units]
    W = np.array([[net.params[n] if n else 0.0 for n in row] for row in names])
    b = np.array([net.params[n] if n else 0.0 for n in bias_names])
    return W, b, names, bias_names


W1, b1, names1, bias_names1 = layer_matrices(net, 0)
W2, b2, names2, bias_names2 = layer_matrices(net, 1)
print("W1 =\n", W1, "\nnames:", names1, "\nb1 =", b1)
print("W2 =\n", W2, "\nnames:", names2, "\nb2 =", b2)
"""),
        md(r"""
## Forward in matrix form

$$net_h = W_1 x + b_1,\quad out_h = \sigma(net_h),\quad net_o = W_2\,out_h + b_2,\quad out_o = \sigma(net_o).$$
"""),
        code(r"""
def sigmoid(z):
    return 1 / (1 + np.exp(-z))


x = np.array([net.samples[0][u] for u in net.inputs])
t = np.array([net.samples[0][u] for u in net.outputs])
net_h = W1 @ x + b1
out_h = sigmoid(net_h)
net_o = W2 @ out_h + b2
out_o = sigmoid(net_o)
E = 0.5 * np.sum((t - out_o) ** 2)
print("out_h =", out_h, "\nout_o =", out_o, f"\nE_total = {E:.9f}")
f = net.forward()[0]
assert np.allclose(out_h, [f["out_h1"], f["out_h2"]]) and np.allclose(out_o, [f["out_o1"], f["out_o2"]])
assert np.isclose(E, net.loss())
"""),
        md(r"""
## Backward: $\delta$ vectors and outer products

The output layer's error signal collects, unit by unit, the two factors the notes multiply for $w_5$:

$$\delta_o = \frac{\partial E}{\partial net_o} = (out_o - t)\odot out_o\odot(1-out_o).$$

Every weight gradient is "error signal of the unit it feeds × value of the unit it comes from" — for
a whole matrix at once that is an outer product:

$$\frac{\partial E}{\partial W_2} = \delta_o\,out_h^{\top}.$$

Going one layer back, each hidden unit collects the output errors through the weights it feeds
(that is $W_2^{\top}\delta_o$ — the sum over both outputs the notes write out for $w_1$), times its own slope:

$$\delta_h = \left(W_2^{\top}\delta_o\right)\odot out_h\odot(1-out_h),\qquad
\frac{\partial E}{\partial W_1} = \delta_h\,x^{\top}.$$
"""),
        code(r"""
delta_o = (out_o - t) * out_o * (1 - out_o)
dW2 = np.outer(delta_o, out_h)
delta_h = (W2.T @ delta_o) * out_h * (1 - out_h)
dW1 = np.outer(delta_h, x)
print("delta_o =", delta_o, "\ndE/dW2 =\n", dW2)
print("delta_h =", delta_h, "\ndE/dW1 =\n", dW1)
"""),
        md(r"""
A bias slot is a weight on a constant input 1, so its gradient is $\delta$ itself; $b_1$ and $b_2$ are each
shared by two units, so their slots add up. The function below adds every slot onto its parameter name,
and the result must equal the library's gradients — the same numbers notebooks 03–05 built by hand.
"""),
        code(r"""
def to_names(grad_W, grad_b, names, bias_names):
    # Add each matrix slot's gradient onto the parameter named there (shared names add up).
    out = {}
    for row_grads, row_names in zip(grad_W, names):
        for g, n in zip(row_grads, row_names):
            if n:
                out[n] = out.get(n, 0.0) + g
    for g, n in zip(grad_b, bias_names):
        if n:
            out[n] = out.get(n, 0.0) + g
    return out


matrix_grads = {**to_names(dW1, delta_h, names1, bias_names1), **to_names(dW2, delta_o, names2, bias_names2)}
library = net.gradients()
for name in library:
    print(f"dE/d{name:<3} matrices {matrix_grads[name]:.9f}   net.gradients() {library[name]:.9f}")
    assert np.isclose(matrix_grads[name], library[name], rtol=1e-12, atol=0)
d = net.deltas()[0]
assert np.allclose(delta_o, [d["dE/dnet_o1"], d["dE/dnet_o2"]])
assert np.allclose(delta_h, [d["dE/dnet_h1"], d["dE/dnet_h2"]])
"""),
        md(r"""
## A batch of 32 samples

With a batch, samples become the **rows** of a matrix $X$ (shape 32 × 2). The layer is then
$net_h = X W_1^{\top} + b_1$ (the bias is added to every row), and the gradient of a weight matrix sums
over the batch: $\partial E/\partial W_2 = \Delta_o^{\top}\,Out_h$. The table follows the shape of every
array; the last line checks that the batch gradients equal what the library computes for a network
whose data are those 32 samples.
"""),
        code(r"""
rng = np.random.default_rng(0)
X = rng.uniform(0, 1, size=(32, 2))
T = rng.uniform(0, 1, size=(32, 2))

steps = []


def note(label, array):
    steps.append((label, array.shape))
    return array


Net_h = note("Net_h = X @ W1.T + b1", X @ W1.T + b1)
Out_h = note("Out_h = sigmoid(Net_h)", sigmoid(Net_h))
Net_o = note("Net_o = Out_h @ W2.T + b2", Out_h @ W2.T + b2)
Out_o = note("Out_o = sigmoid(Net_o)", sigmoid(Net_o))
Delta_o = note("Delta_o = (Out_o - T) * Out_o * (1 - Out_o)", (Out_o - T) * Out_o * (1 - Out_o))
dW2_batch = note("dW2 = Delta_o.T @ Out_h", Delta_o.T @ Out_h)
Delta_h = note("Delta_h = (Delta_o @ W2) * Out_h * (1 - Out_h)", (Delta_o @ W2) * Out_h * (1 - Out_h))
dW1_batch = note("dW1 = Delta_h.T @ X", Delta_h.T @ X)
db_shared = note("db1, db2 = sums of Delta_h, Delta_o", np.array([Delta_h.sum(), Delta_o.sum()]))

print(f"{'X':<50}{X.shape}\n{'T':<50}{T.shape}\n{'W1':<50}{W1.shape}\n{'W2':<50}{W2.shape}")
for label, shape in steps:
    print(f"{label:<50}{shape}")

batch_net = bp.load({**net.spec, "data": [{"i1": a, "i2": b, "o1": c, "o2": e} for (a, b), (c, e) in zip(X, T)]})
batch_grads = {**to_names(dW1_batch, Delta_h.sum(axis=0), names1, bias_names1),
               **to_names(dW2_batch, Delta_o.sum(axis=0), names2, bias_names2)}
assert all(np.isclose(batch_grads[n], g) for n, g in batch_net.gradients().items())
print("batch gradients equal the library's for all", len(batch_grads), "parameters")
"""),
        md(r"""
## The same bookkeeping in a bigger model

The notes track shapes in a character-level model: a batch of 32 examples, each the indices of 3
previous characters; an embedding table `C` turns each index into a short vector, so `C[X]` has shape
32 × 3 × 3; flattening the last two axes gives 9 numbers per example, which feed a layer with a 9 × 100
weight matrix. The alphabet size (27: letters and an end mark) is our choice; the rest follows the notes.
"""),
        code(r"""
rng = np.random.default_rng(1)
vocab, block, emb_dim, hidden = 27, 3, 3, 100
Xc = rng.integers(0, vocab, size=(32, block))
C = rng.normal(size=(vocab, emb_dim))
Wc1, bc1 = rng.normal(size=(block * emb_dim, hidden)), np.zeros(hidden)
Wc2, bc2 = rng.normal(size=(hidden, vocab)), np.zeros(vocab)

emb = C[Xc]
flat = emb.reshape(len(Xc), block * emb_dim)
h = np.tanh(flat @ Wc1 + bc1)
logits = h @ Wc2 + bc2
for label, array in [("X (character indices)", Xc), ("C (embedding table)", C), ("C[X]", emb),
                     ("C[X] flattened", flat), ("W1", Wc1), ("h = tanh(flat @ W1 + b1)", h),
                     ("W2", Wc2), ("logits = h @ W2 + b2", logits)]:
    print(f"{label:<28}{' x '.join(map(str, array.shape))}")
"""),
        md(r"""
## A classifier in matrix form: XOR

Points in the square $[-1, 1]^2$ belong to class 1 when both coordinates have the same sign, class 0
otherwise — no single straight line separates them. A network with 8 tanh hidden units and one sigmoid
output learns it. The loss is the mean squared error $\frac1N\sum(t - out)^2$ (the library's `mse`), and
training is full-batch gradient descent written with the same matrix steps as above.
"""),
        code(r"""
rng = np.random.default_rng(42)
points = rng.uniform(-1, 1, size=(200, 2))
labels = (points[:, 0] * points[:, 1] > 0).astype(float)[:, None]

H = 8
A1 = rng.normal(0, 1, size=(H, 2))
c1 = np.zeros(H)
A2 = rng.normal(0, 1, size=(1, H))
c2 = np.zeros(1)
start = (A1.copy(), c1.copy(), A2.copy(), c2.copy())


def predict(P, A1, c1, A2, c2):
    hidden = np.tanh(P @ A1.T + c1)
    return hidden, sigmoid(hidden @ A2.T + c2)


def xor_gradients(P, Y, A1, c1, A2, c2):
    hidden, out = predict(P, A1, c1, A2, c2)
    loss = np.mean((Y - out) ** 2)
    delta_out = -2 * (Y - out) / len(P) * out * (1 - out)
    delta_hid = (delta_out @ A2) * (1 - hidden ** 2)
    return loss, (delta_hid.T @ P, delta_hid.sum(axis=0), delta_out.T @ hidden, delta_out.sum(axis=0))


loss0, grads0 = xor_gradients(points, labels, *start)
print(f"loss before training {loss0:.6f}; gradient shapes {[g.shape for g in grads0]}")
"""),
        md(r"""
Before training on it, one check that the matrix gradients are right: the same network written as a
spec (one named parameter per slot) and handed to the library must give the same gradients.
"""),
        code(r"""
def spec_from_matrices(A1, c1, A2, c2, P, Y):
    # A 2-H-1 tanh/sigmoid spec with one named parameter per matrix slot, and P, Y as its data.
    hidden = {f"h{j}": {"weights": {"x1": f"A1_{j}_0", "x2": f"A1_{j}_1"}, "bias": f"c1_{j}"} for j in range(len(A1))}
    out = {"y": {"weights": {f"h{j}": f"A2_{j}" for j in range(len(A1))}, "bias": "c2"}}
    params = {f"A1_{j}_{k}": float(A1[j, k]) for j in range(len(A1)) for k in range(2)}
    params.update({f"c1_{j}": float(c1[j]) for j in range(len(A1))})
    params.update({f"A2_{j}": float(A2[0, j]) for j in range(len(A1))})
    params["c2"] = float(c2[0])
    data = [{"x1": float(p[0]), "x2": float(p[1]), "y": float(y[0])} for p, y in zip(P, Y)]
    return {"name": "xor", "inputs": ["x1", "x2"], "loss": "mse", "params": params, "data": data,
            "layers": [{"activation": "tanh", "neurons": hidden}, {"activation": "sigmoid", "neurons": out}]}


xor_net = bp.load(spec_from_matrices(*start, points, labels))
lib = xor_net.gradients()
assert np.isclose(xor_net.loss(), loss0)
assert np.allclose(grads0[0], [[lib[f"A1_{j}_{k}"] for k in range(2)] for j in range(H)])
assert np.allclose(grads0[1], [lib[f"c1_{j}"] for j in range(H)])
assert np.allclose(grads0[2], [[lib[f"A2_{j}"] for j in range(H)]])
assert np.isclose(grads0[3][0], lib["c2"])
print(f"matrix gradients agree with the library for all {len(lib)} parameters")
"""),
        code(r"""
params = [p.copy() for p in start]
lr, history, snapshots = 2.0, [], {}
for step in range(3001):
    if step in (0, 100, 300, 1000, 3000):
        snapshots[step] = [p.copy() for p in params]
    loss, grads = xor_gradients(points, labels, *params)
    history.append(loss)
    params = [p - lr * g for p, g in zip(params, grads)]


def accuracy(params):
    return np.mean((predict(points, *params)[1] > 0.5) == (labels > 0.5))


for step, p in snapshots.items():
    print(f"step {step:5d}: loss {history[step]:.4f}  accuracy {accuracy(p):.3f}")
"""),
        md(r"""
## The decision boundary

The network's output over a grid of points: the line where it crosses 0.5 is the boundary between the
two predicted classes.
"""),
        code(r"""
g = np.linspace(-1, 1, 121)
GX, GY = np.meshgrid(g, g)
grid_points = np.column_stack([GX.ravel(), GY.ravel()])


def draw(params, ax, title):
    Z = predict(grid_points, *params)[1].reshape(GX.shape)
    ax.contourf(GX, GY, Z, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.6)
    ax.contour(GX, GY, Z, levels=[0.5], colors="black")
    ax.scatter(points[:, 0], points[:, 1], c=labels[:, 0], cmap="RdBu_r", edgecolors="black", s=14)
    ax.set_title(title)
    ax.set_aspect("equal")


final = snapshots[3000]
fig, ax = plt.subplots(figsize=(4.5, 4.5))
draw(final, ax, f"after 3000 steps: accuracy {accuracy(final):.3f}")
plt.show()
print(f"final loss {history[-1]:.4f}, accuracy {accuracy(final):.3f}")
"""),
        md(r"""
## Play: the boundary during training

Move the slider to see the boundary after 0, 100, 300, 1000 and 3000 steps.
"""),
        code(r"""
import ipywidgets as widgets


canvas = bp.widgets.Canvas((4, 4))
slider = widgets.SelectionSlider(options=list(snapshots), value=3000, description="step", continuous_update=False)


def redraw(*_):
    step = slider.value
    canvas.draw(lambda ax: draw(snapshots[step], ax, f"step {step}: loss {history[step]:.4f}"))


slider.observe(redraw, "value")
redraw()
print(f"shown first: step {slider.value}, loss {history[slider.value]:.4f}, "
      f"accuracy {accuracy(snapshots[slider.value]):.3f}")
widgets.VBox([slider, canvas.image])
"""),
        md(r"""
## Exercises

Type your number into the box and press *check* (a hint appears for the usual slips). The
solution is in the collapsed cell under each question.

**1.** For one sample, $\partial E/\partial w_5$ is the entry $[0, 0]$ of the outer product
$\delta_o\,out_h^{\top}$ printed above. For the batch of 32 samples (`batch_net`) it is the same entry of
$\Delta_o^{\top}\,Out_h$, a sum over the rows. Compute it from `Delta_o` and `Out_h`.
"""),
        code(r"""
bp.widgets.exercise("dE/dw5", net=batch_net)
"""),
        code(r"""
# Solution
answer = Delta_o[:, 0] @ Out_h[:, 0]
bp.check("dE/dw5", answer, net=batch_net)
""", hidden=True),
        md(r"""
**2.** One gradient-descent step on the whole matrix: $W_2^{+} = W_2 - \eta\,\partial E/\partial W_2$, with the
network's learning rate $\eta$ (`net.learning_rate`). Which entry is $w_5^{+}$, and what is it?
"""),
        code(r"""
bp.widgets.exercise("w5+", net=net)
"""),
        code(r"""
# Solution
answer = (W2 - net.learning_rate * dW2)[0, 0]
bp.check("w5+", answer, net=net)
""", hidden=True),
        md(r"""
## Summary

- A layer is a matrix (rows: units, columns: sources) and a bias vector; the forward pass is
  $\sigma(Wx + b)$.
- Backpropagation passes a vector $\delta$ back with $W^{\top}$; each weight gradient is the outer product
  of $\delta$ and the layer's input, and shared parameters add their slots.
- In a batch, samples are rows; the gradient sums over rows, and the shapes tell you which side to
  multiply on.
- The matrix form gives exactly the library's numbers — and the same few lines train a classifier on a
  whole batch at once.

Next: [10 · checking the notes](10-checking-the-notes.ipynb).
"""),
    ]


# --------------------------------------------------------------------------------------------
def checking_the_notes():
    return [
        md(r"""
# 10 · Checking the notes

The notes this bundle follows were worked by hand, and hand arithmetic slips. Here every number they print
for these networks is recomputed with `backprop_lib` and compared at the precision it was printed with.
Where a number disagrees we look for the likely cause — a mistyped input, a value copied from the wrong
line, a $+$ written for a $\times$, a sign, or rounding — and test each guess by computing it.

You will learn to

- recompute a worked example mechanically, value by value;
- compare numbers fairly at the printed precision;
- diagnose an arithmetic slip by reproducing it.

Before this: [09 · matrices and batches](09-matrices-and-batches.ipynb). After this: [11 · the playground](11-playground.ipynb).
"""),
        code(r"""
import json
from collections import Counter

import numpy as np
import backprop_lib as bp

with open("notes_figures.json", encoding="utf-8") as f:
    figures = json.load(f)["figures"]
print(f"{len(figures)} printed figures from {len(Counter(x['note'] for x in figures))} notes:",
      dict(Counter(x["note"] for x in figures)))
"""),
        md(r"""
## The notes

- **000** — handwritten first pass through the 2-2-2 network (`mazur`): forward pass, $\partial E/\partial w_5$, one update.
- **001** — shape notes from a character-level model, then the same 2-2-2 derivation.
- **002** — the softplus network fitted with the SSR (`statquest`); it prints few numbers but several formulas.
- **003** — a lecture on the 2-2-1 network (`lecture`) with every gradient.
- **004** — a slide deck through the 2-2-2 network, number by number, to one update and 10,000 updates.

Each printed figure is stored as data in `notes_figures.json` (note, quantity, the value exactly as printed).
"""),
        md(r"""
## Recomputing every quantity

Everything comes from the library: `forward()` for nets and outs, `loss_terms()` and `loss()` for errors,
`deltas()` for the messages $\partial E/\partial net$ and $\partial E/\partial out$, `gradients()`, and
`train()` for the updated weights. A local slope such as $\partial out/\partial net$ is the ratio of two
messages. The notes 000 and 004 update the weights but never the biases, so training freezes $b_1, b_2$.
"""),
        code(r"""
def values(net, lr, freeze=()):
    # Every quantity of one network, keyed as in notes_figures.json.
    f, d, g = net.forward()[0], net.deltas()[0], net.gradients()
    one = net.train(steps=1, lr=lr, freeze=freeze)
    v = {**f, **{f"dE/d{k}": x for k, x in g.items()}, **{f"dE/{k[3:]}": x for k, x in d.items()}}
    v.update({f"{k}+": x for k, x in one.params.items()})
    v.update({f"E_{u}": x for u, x in net.loss_terms()[0].items()})
    v["E_total"] = net.loss()
    v["E_total after one step"] = one.losses[1]
    for u in net.outputs + ["h1", "h2"]:
        v[f"dout_{u}/dnet_{u}"] = d[f"dE/dnet_{u}"] / d[f"dE/dout_{u}"]
    return v


mazur, lecture, statquest = bp.load("mazur"), bp.load("lecture"), bp.load("statquest")
m = values(mazur, lr=0.5, freeze=("b1", "b2"))
m["dnet_h1/dw1"] = mazur.samples[0]["i1"]
m["dnet_o1/dout_h1"], m["dnet_o2/dout_h1"] = mazur.params["w5"], mazur.params["w7"]
m["dE_o1/dout_h1"] = m["dE/dnet_o1"] * mazur.params["w5"]
m["dE_o2/dout_h1"] = m["dE/dnet_o2"] * mazur.params["w7"]
long_run = mazur.train(steps=10_000, lr=0.5, freeze=("b1", "b2"))
m["out_o1 after 10000 steps"] = long_run.outputs[0]["o1"]
m["out_o2 after 10000 steps"] = long_run.outputs[0]["o2"]

lec = values(lecture, lr=0.0001)
lec["step_w5 (lr 0.0001)"] = 0.0001 * lec["dE/dw5"]
lec["w5+ (lr 0.0001)"], lec["w6+ (lr 0.0001)"] = lec["w5+"], lec["w6+"]
lec["dE/db1 via h1"], lec["dE/db1 via h2"] = lec["dE/dnet_h1"], lec["dE/dnet_h2"]
lec["E_total"] = lecture.loss()

# 001's shapes: a batch of 32 examples of 3 character indices, a 3-wide embedding, a 9 x 100 layer
rng = np.random.default_rng(0)
X = rng.integers(0, 27, size=(32, 3))
C = rng.normal(size=(27, 3))
W1 = rng.normal(size=(C[X].shape[1] * C[X].shape[2], 100))
shapes = {"X": X.shape, "C[X]": C[X].shape, "W1": W1.shape}

sq = {"w3": statquest.params["w3"], "observed": ",".join(f"{s['efficacy']:g}" for s in statquest.samples)}

networks = {"mazur": m, "lecture": lec, "statquest": sq, "shapes": {k: "x".join(map(str, s)) for k, s in shapes.items()}}


def recompute(key):
    # The value for 'network.quantity'; a parenthesised remark in the key names where the notes print it.
    network, quantity = key.split(".", 1)
    table = networks[network]
    return table[quantity] if quantity in table else table[quantity.split(" (")[0]]


print(f"recomputed {sum(1 for x in figures if recompute(x['quantity']) is not None)} of {len(figures)} figures")
"""),
        md(r"""
## Your turn

Before the table below compares every figure, check one slip yourself; the table then holds both
answers. Type your number into the box and press *check* (a hint appears for the usual slips). The
solution is in the collapsed cell under each question.

**1.** Note 004 prints for $\partial E_{total}/\partial w_3$ the value of $w_1$'s gradient (the cell below shows
the figure). Compute the right one: $\partial E_{total}/\partial out_{h2}\times out_{h2}(1-out_{h2})\times i_1$
(the messages are in `mazur.deltas()`).
"""),
        code(r"""
print("note 004 prints dE/dw3 =", next(x["printed"] for x in figures if x["quantity"] == "mazur.dE/dw3"))
bp.widgets.exercise("dE/dw3", net=mazur)
"""),
        code(r"""
# Solution
messages, values_m = mazur.deltas()[0], mazur.forward()[0]
answer = messages["dE/dout_h2"] * values_m["out_h2"] * (1 - values_m["out_h2"]) * mazur.samples[0]["i1"]
bp.check("dE/dw3", answer, net=mazur)
""", hidden=True),
        md(r"""
**2.** With the right gradient, what is $w_3^{+}$ after one step with learning rate 0.5?
"""),
        code(r"""
bp.widgets.exercise("w3+", net=mazur)
"""),
        code(r"""
# Solution
answer = mazur.params["w3"] - 0.5 * mazur.gradients()["w3"]
bp.check("w3+", answer, net=mazur)
""", hidden=True),
        md(r"""
## Comparing at the printed precision

A printed value with $d$ decimals agrees when the recomputed value is within half a unit of its last
digit: $|\text{recomputed} - \text{printed}| \le \tfrac12 10^{-d}$. A value that would need truncation
(chopping) rather than rounding to agree counts as a slip — a small one, and we say so.
"""),
        code(r"""
def decimals(text):
    return len(text.split(".")[1]) if "." in text else 0


def verdict(printed, value):
    if isinstance(value, str):
        return "agrees" if printed == value else "SLIP"
    return "agrees" if abs(value - float(printed)) <= 0.5 * 10 ** -decimals(printed) + 1e-15 else "SLIP"


def shown(value, printed):
    # The recomputed value written with two more decimals than the notes give.
    return value if isinstance(value, str) else f"{value:.{max(decimals(printed) + 2, 4)}f}"


rows = [(x["note"], x["quantity"], x["printed"], recompute(x["quantity"])) for x in figures]
print(f"{'note':<5}{'quantity':<44}{'printed':>14}{'recomputed':>16}  verdict")
for note, quantity, printed, value in rows:
    print(f"{note:<5}{quantity:<44}{printed:>14}{shown(value, printed):>16}  {verdict(printed, value)}")
"""),
        code(r"""
tally = Counter((note, verdict(printed, value)) for note, _, printed, value in rows)
for note in sorted({r[0] for r in rows}):
    print(f"note {note}: {tally[(note, 'agrees')]:3d} agree, {tally[(note, 'SLIP')]:2d} slips")
slips = [r for r in rows if verdict(r[2], r[3]) == "SLIP"]
print(f"in all: {len(slips)} slips among {len(rows)} printed figures")
"""),
        md(r"""
## The error after one step, and after 10,000

Note 004 prints $E_{total} = 0.291027924$ after one update of $w_1 \dots w_8$, and outputs 0.015912196 and
0.984065734 after 10,000 updates. Updating every weight from gradients taken at the same point gives
slightly different numbers (the "right" column of the table below). The notes' own updated weights do not explain it either:
"""),
        code(r"""
printed = {x["quantity"]: x["printed"] for x in figures if x["note"] == "004"}
notes_weights = {f"w{k}": float(printed[f"mazur.w{k}+"]) for k in range(1, 9)}
print("the notes' updated weights:", notes_weights)
print(f"E_total at those weights: {mazur.with_params(**notes_weights).loss():.9f}   "
      f"the notes print {printed['mazur.E_total after one step']}")
"""),
        md(r"""
Notebook 04 met a tempting mistake: passing the output errors $\delta_o$ back to the hidden layer through the
output weights *after* they have been updated ($w_5^{+} \dots w_8^{+}$) instead of the original ones. The loop
below runs gradient descent on $w_1 \dots w_8$ (biases fixed) in matrix form, either correctly or with that
mix; the correct version must agree with `net.train`.
"""),
        code(r"""
def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def descend_mazur(steps, mixed, lr=0.5):
    # Gradient descent on w1..w8; with mixed=True the hidden errors use the already-updated w5..w8.
    p, s = mazur.params, mazur.samples[0]
    W1, W2 = np.array([[p["w1"], p["w2"]], [p["w3"], p["w4"]]]), np.array([[p["w5"], p["w6"]], [p["w7"], p["w8"]]])
    x, t = np.array([s["i1"], s["i2"]]), np.array([s["o1"], s["o2"]])
    for _ in range(steps):
        out_h = sigmoid(W1 @ x + p["b1"])
        out_o = sigmoid(W2 @ out_h + p["b2"])
        delta_o = (out_o - t) * out_o * (1 - out_o)
        W2_new = W2 - lr * np.outer(delta_o, out_h)
        delta_h = ((W2_new if mixed else W2).T @ delta_o) * out_h * (1 - out_h)
        W1, W2 = W1 - lr * np.outer(delta_h, x), W2_new
    out_o = sigmoid(W2 @ sigmoid(W1 @ x + p["b1"]) + p["b2"])
    return 0.5 * np.sum((t - out_o) ** 2), out_o


right_one, right_long = descend_mazur(1, mixed=False), descend_mazur(10_000, mixed=False)
assert np.isclose(right_one[0], m["E_total after one step"], rtol=1e-12)
assert np.allclose(right_long[1], [m["out_o1 after 10000 steps"], m["out_o2 after 10000 steps"]], rtol=1e-9)
mixed_one, mixed_long = descend_mazur(1, mixed=True), descend_mazur(10_000, mixed=True)
print(f"{'':<28}{'right':>14}{'mixed':>14}{'notes':>14}")
print(f"{'E_total after one step':<28}{right_one[0]:14.9f}{mixed_one[0]:14.9f}"
      f"{printed['mazur.E_total after one step']:>14}")
print(f"{'out_o1 after 10,000 steps':<28}{right_long[1][0]:14.9f}{mixed_long[1][0]:14.9f}"
      f"{printed['mazur.out_o1 after 10000 steps']:>14}")
print(f"{'out_o2 after 10,000 steps':<28}{right_long[1][1]:14.9f}{mixed_long[1][1]:14.9f}"
      f"{printed['mazur.out_o2 after 10000 steps']:>14}")
print(f"{'E_total after 10,000 steps':<28}{right_long[0]:14.4e}{mixed_long[0]:14.4e}")
"""),
        md(r"""
The mixed rule reproduces all three printed numbers in every digit (the notes print no error after 10,000
steps, so the last row has nothing to compare with). That points to a program behind note 004 that passed the
errors back through the freshly updated output weights; notebook 06 tests other explanations and finds that
none of them fits. The slip is small here because one step changes $w_5 \dots w_8$ only a
little, which is exactly why it is easy to miss.
"""),
        md(r"""
## Why each slip happened

For every slip we state a cause and, where possible, **reproduce the printed number** by making that
mistake on purpose. A cause counts as confirmed when the reproduction gives the printed value at its
precision (rounded or, where we say so, chopped).
"""),
        code(r"""
g_m, g_l, d_m = mazur.gradients(), lecture.gradients(), mazur.deltas()[0]
p = mazur.params


def swap_last_two(text):
    return float(text[:-2] + text[-1] + text[-2])


def chop(value, printed):
    # Cut (not round) to the printed number of decimals.
    scale = 10 ** decimals(printed)
    return np.trunc(value * scale) / scale


causes = {
    ("000", "mazur.net_h1"): ("input typed as 0.5 instead of 0.05, the result chopped to two decimals",
                              lambda: chop(0.5 * p["w1"] + 0.1 * p["w2"] + p["b1"], "0.44")),
    ("000", "mazur.net_h2"): ("the same mistyped input 0.5", lambda: 0.5 * p["w3"] + 0.1 * p["w4"] + p["b1"]),
    ("000", "mazur.dE/dw5"): ("chopped instead of rounded", lambda: chop(g_m["w5"], "0.0821")),
    ("000", "mazur.w5+"): ("computed from the chopped 0.0821, then chopped", lambda: chop(0.4 - 0.5 * 0.0821, "0.35")),
    ("003", "lecture.step_w5 (lr 0.0001)"): ("the product 0.0001 x 0.0822 left unwritten (zeros)", None),
    ("003", "lecture.w5+ (lr 0.0001)"): ("no single slip found that gives it", None),
    ("003", "lecture.w6+ (lr 0.0001)"): ("chopped to four decimals (the line's '-0.0001' is a stray sign)", lambda: chop(lecture.train(1, lr=1e-4).params["w6"], "0.4499")),
    ("003", "lecture.dE/dw2"): ("arithmetic slip in the last digit of the line's own 0.0134 x 0.10", None),
    ("003", "lecture.dout_h2/dnet_h2"): ("arithmetic slip in the last digit of 0.5969 x (1 - 0.5969)", None),
    ("003", "lecture.dE/dw4 (worked line)"): ("sign: decimal points written as minus signs "
                                              "(-7414 x -1868 x 0.45 x -2407 x 0.10), three of them",
                                              lambda: (-1) ** 3 * g_l["w4"]),
    ("003", "lecture.dout_h2/dnet_h2 (in the b1 line)"): ("0.2407 copied as 0.2417; the line's result was "
                                                          "computed with 0.2407 (see below)", None),
    ("004", "mazur.out_h1 (in the net_o2 line)"): ("a 9 dropped when copying 0.593269992", lambda: 0.59326992),
    ("004", "mazur.net_o2"): ("follows from the dropped digit, then chopped",
                              lambda: chop(p["w7"] * 0.59326992 + p["w8"] * 0.596884378 + p["b2"], "1.22492136")),
    ("004", "mazur.dE/dw6"): ("chopped instead of rounded", lambda: chop(g_m["w6"], "0.08266762")),
    ("004", "mazur.dE/dout_o2 (w7 and w8 slides)"): ("the leading '0.' lost in transcription",
                                                     lambda: d_m["dE/dout_o2"] * 1e8),
    ("004", "mazur.dE/dw7"): ("the product of the slide's rounded factors, chopped",
                              lambda: chop(-0.21707153 * 0.17551005 * 0.593269992, "-0.02260253")),
    ("004", "mazur.dE/dnet_o2"): ("chopped instead of rounded", lambda: chop(d_m["dE/dnet_o2"], "-0.03809823")),
    ("004", "mazur.dE_o2/dout_h1"): ("chopped instead of rounded",
                                     lambda: chop(d_m["dE/dnet_o2"] * p["w7"], "-0.01904911")),
    ("004", "mazur.dE/dout_h1 (in the w2 line)"): ("the last two digits swapped when copying",
                                                   lambda: swap_last_two(f"{d_m['dE/dout_h1']:.8f}")),
    ("004", "mazur.dE/dw2"): ("follows from the swapped digits (+ is written where x is meant): "
                              "0.03635013 x 0.2413007086 x 0.1", lambda: 0.03635013 * 0.2413007086 * 0.1),
    ("004", "mazur.dE/dw3"): ("copied from the w1 slide: it is dE/dw1, chopped", lambda: chop(g_m["w1"], "0.00043856")),
    ("004", "mazur.w3+"): ("follows from the copied gradient: 0.25 - 0.5 x 0.00043856", lambda: 0.25 - 0.5 * 0.00043856),
    ("004", "mazur.dE/dout_h2 (in the w4 line)"): ("a mistyped value; no single slip found that gives it", None),
    ("004", "mazur.dE/dw4"): ("follows from the mistyped factor: 0.041369954 x 0.240613417 x 0.1, chopped",
                              lambda: chop(0.041369954 * 0.240613417 * 0.1, "0.00099541")),
    ("004", "mazur.E_total after one step"): ("hidden errors passed back through the updated w5..w8",
                                              lambda: mixed_one[0]),
    ("004", "mazur.out_o1 after 10000 steps"): ("the same mixed update, 10,000 times", lambda: mixed_long[1][0]),
    ("004", "mazur.out_o2 after 10000 steps"): ("the same mixed update, 10,000 times", lambda: mixed_long[1][1]),
}

assert {(r[0], r[1]) for r in slips} == set(causes), "every slip needs a cause, and only slips"
print(f"{'note':<5}{'quantity':<40}{'printed':>13}{'slip made on purpose':>22}  reproduced?  cause")
for note, quantity, printed, value in slips:
    cause, make = causes[(note, quantity)]
    if make is None:
        again, ok = "", "-"
    else:
        again = make()
        ok = "yes" if verdict(printed, again) == "agrees" else "no"
        again = f"{again:.{decimals(printed) + 2}f}"
    print(f"{note:<5}{quantity:<40}{printed:>13}{again:>22}  {ok:<11}  {cause}")
"""),
        code(r"""
# 003's b1-through-h2 line: which factor did the result come from?
for factor in (0.2417, 0.2407):
    print(f"0.7414 x 0.1868 x 0.45 x {factor} = {0.7414 * 0.1868 * 0.45 * factor:.4f}")
print("printed result:", next(x["printed"] for x in figures if x["quantity"] == "lecture.dE/db1 via h2"))
"""),
        md(r"""
In 004's $w_2$ line the factors are joined by $+$, but the printed result is their product, not their
sum, so the $+$ signs are a typo for $\times$; the product's last digit is off only because its first factor
had two digits swapped. In 003's $w_4$ line, the three minus signs are decimal points that became dashes: with three of them the
product turns negative; flipping the sign of the true gradient gives the printed $-0.00150$ exactly.
"""),
        md(r"""
## Note 002: formulas rather than numbers

Note 002 prints few numbers (the start $w_3 = 0.36$ and the observed values agree above), but it writes out
derivative formulas. Evaluated at the starting values they must equal the library's gradients:

$$\frac{d\,\text{SSR}}{dw_3} = \sum_i -2(\text{obs}_i - \text{pred}_i)\,y_{1,i},\quad
\frac{d\,\text{SSR}}{dw_1} = \sum_i -2(\text{obs}_i - \text{pred}_i)\,w_3\,\frac{e^{x_{1,i}}}{1+e^{x_{1,i}}}\,\text{input}_i .$$

(The note labels the $w_4$ formula "$dSSR/dw_2$"; it means $w_4$.)
"""),
        code(r"""
fs = statquest.forward()
obs = [s["efficacy"] for s in statquest.samples]
dose = [s["dosage"] for s in statquest.samples]
resid = [-2 * (o - f["out_efficacy"]) for o, f in zip(obs, fs)]
slope1 = [np.exp(f["net_y1"]) / (1 + np.exp(f["net_y1"])) for f in fs]
w3 = statquest.params["w3"]
formulas = {
    "w3": sum(r * f["out_y1"] for r, f in zip(resid, fs)),
    "w4": sum(r * f["out_y2"] for r, f in zip(resid, fs)),
    "b3": sum(resid),
    "w1": sum(r * w3 * s * x for r, s, x in zip(resid, slope1, dose)),
    "b1": sum(r * w3 * s for r, s in zip(resid, slope1)),
}
g_s = statquest.gradients()
for name, value in formulas.items():
    print(f"dSSR/d{name}: note's formula {value:+.9f}   net.gradients() {g_s[name]:+.9f}   "
          f"{verdict(f'{g_s[name]:.9f}', value)}")
"""),
        md(r"""
## Play: make the slip yourself

Note 000's first line computes $net_{h1}$ with the input typed as 0.5. In the explorer below, move the input
slider $i_1$ from 0.05 to 0.5 and watch $net_{h1}$ and $net_{h2}$ turn into the values behind the notes' 0.44 and 0.5.
"""),
        code(r"""
explorer = bp.widgets.forward_explorer(mazur)
print(f"i1 = {explorer.controls['i1'].value}: net_h1 = {explorer.numbers['net_h1']:.4f}, "
      f"net_h2 = {explorer.numbers['net_h2']:.4f}")
explorer
"""),
        md(r"""
The same move made from code: setting the slider's value updates the numbers as dragging it would.
"""),
        code(r"""
explorer.controls["i1"].value = 0.5
print(f"i1 = {explorer.controls['i1'].value}: net_h1 = {explorer.numbers['net_h1']:.4f}, "
      f"net_h2 = {explorer.numbers['net_h2']:.4f}")
explorer.controls["i1"].value = 0.05
"""),
        md(r"""
## Summary

- Most printed figures agree with a mechanical recomputation at their own precision.
- The slips fall into a few kinds: a mistyped input (000's 0.5), a value copied from the wrong line (004's
  $\partial E/\partial w_3$), a dropped digit (004's 0.59326992), $+$ written for $\times$, decimal points read as
  minus signs, and many last digits chopped instead of rounded.
- 004's error after one step and its outputs after 10,000 steps come from a program that passed the errors
  back through the already-updated output weights; the correct rule gives slightly different numbers.
- A few slips (003's $w_5^{+}$, 004's $\partial E/\partial out_{h2}$) have no cause we could reproduce; we say so
  rather than guess.

Next: [11 · the playground](11-playground.ipynb), any network and every widget in one place.
"""),
    ]


BUILDERS = {
    "07-softplus-and-ssr.ipynb": softplus_and_ssr,
    "08-lecture-network.ipynb": lecture_network,
    "09-matrices-and-batches.ipynb": matrices_and_batches,
    "10-checking-the-notes.ipynb": checking_the_notes,
}


def main(names):
    write(BUILDERS, names)


if __name__ == "__main__":
    main(sys.argv[1:])
