"""The notes' own procedures, so that their printed figures can be recomputed and their slips reproduced.

`step_values` gives every number a hand-worked step prints; `mixed_step` is the step behind the
slides' error after one step and outputs after 10,000 steps: errors passed back to the hidden layer
through output weights already updated in the same step, which is not the gradient.
"""



def step_values(net, lr=None, freeze=None):
    """Every number of one worked step on sample 0, keyed as notes_figures.json keys them: net_ and out_
    of each unit, E_ of each output and E_total, dE/dparam, the messages dE/dnet_ and dE/dout_, each
    unit's slope dout_/dnet_, each param+ after one step and 'E_total after one step'. The step keeps
    the spec's fixed parameters unless `freeze` says otherwise."""
    forward, messages, gradients = net.forward()[0], net.deltas()[0], net.gradients()
    one = net.train(steps=1, lr=lr, freeze=freeze)
    values = {**forward, **{f"dE/d{k}": g for k, g in gradients.items()}, **messages}
    values.update({f"{k}+": x for k, x in one.params.items()})
    values.update({f"E_{u}": x for u, x in net.loss_terms()[0].items()})
    values["E_total"] = net.loss()
    values["E_total after one step"] = float(one.losses[1])
    for unit, _, _ in net.units:
        if messages[f"dE/dout_{unit}"] != 0:
            values[f"dout_{unit}/dnet_{unit}"] = messages[f"dE/dnet_{unit}"] / messages[f"dE/dout_{unit}"]
    return values


def mixed_gradients(net, lr=None, freeze=None):
    """What a mixed step subtracts: the chain rule with every error passed back through the weights as
    they are after the step (w+ = w − lr·dE/dw) instead of as they were. Parameters whose errors pass
    through no weight (the output layer's) get their true gradient."""
    lr, frozen = net.choose_lr(lr), net.choose_frozen(freeze)
    return {k: float(g[0]) for k, g in _mixed(net, net.columns(), lr, frozen).items()}


def mixed_step(net, lr=None, freeze=None):
    """The network after one mixed step (the spec's learning rate and fixed parameters by default)."""
    return mixed_train(net, 1, lr, freeze)


def mixed_train(net, steps, lr=None, freeze=None):
    """The network after `steps` mixed steps."""
    lr, steps, frozen = net.choose_lr(lr), net.check_steps(steps), net.choose_frozen(freeze)
    p = net.columns()
    for _ in range(steps):
        grads = _mixed(net, p, lr, frozen)
        p = {k: v if k in frozen else v - lr * grads[k][:, None] for k, v in p.items()}
    return type(net)(net.spec, {k: float(v[0, 0]) for k, v in p.items()})


def _mixed(net, p, lr, frozen):
    """Mixed gradients at parameters p (the network's columns): backpropagation run twice, the second
    time passing the errors back through the parameters updated by the first."""
    z, out = net.forward_columns(p)
    true = net.backward_columns(p, z, out)
    updated = {k: v if k in frozen else v - lr * true[k][:, None] for k, v in p.items()}
    return net.backward_columns(updated, z, out)
