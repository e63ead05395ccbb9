"""The views of the optimisers: the race's figure and words, the film's update terms in words, and check_step."""
import math


import backprop_lib as bp
from backprop_lib.core.trajectory import trajectory
from backprop_lib.widgets.player import film
from support.plain import plain_gradients


def race_runs():
    net = bp.load("statquest")
    return {name: net.train(200, lr=0.03, optimizer=name) for name in ["gd", "sgd", "momentum", "adam"]}


def test_arrivals_are_the_first_steps_at_or_below_the_goal():
    runs = race_runs()
    found = bp.plots.arrivals(runs, 0.01)
    for name, r in runs.items():
        below = [k for k, x in enumerate(r.losses) if x <= 0.01]
        assert found[name] == (below[0] if below else None)


def test_the_race_says_in_words_what_it_draws():
    runs = race_runs()
    figure = bp.plots.race(runs, 0.01)
    found = bp.plots.arrivals(runs, 0.01)
    first = min((s, n) for n, s in found.items() if s is not None)[1]
    assert figure.description == bp.plots.describe_race(runs, 0.01)
    assert len(figure.axes) == 4 and f"First to arrive: {first}." in figure.description
    for name, step in found.items():
        said = f"reaches the goal at step {step}" if step is not None else "never reaches the goal"
        assert f"{name}: " in figure.description and said in figure.description


def test_the_film_says_the_watched_weights_next_momentum_step():
    net = bp.load("mazur")
    data = film(net, trajectory(net, 4, lr=0.5, optimizer="momentum", frames=4), watch="w5")
    g = plain_gradients(net.spec, net.params)["w5"]
    text = data["frames"][0]["text"]
    assert text.startswith("step 0 of 4: E_total = 0.298371109; next momentum step of w5: ")
    assert f"∂E/∂w5 = {bp.number(g)}" in text and f"w5⁺ = {bp.number(0.40 - 0.5 * g)}" in text
    assert data["frames"][-1]["text"].endswith("the run ends here")


def test_without_a_watched_weight_the_films_words_are_as_before():
    net = bp.load("mazur")
    assert film(net, trajectory(net, 4, lr=0.5, frames=4))["frames"][1]["text"] == \
        f"step 1 of 4: E_total = {bp.number(net.train(1).losses[1])}"


def test_check_step_accepts_one_adam_step_worked_by_hand():
    net = bp.load("mazur")
    g = plain_gradients(net.spec, net.params)["w5"]
    m_hat, v_hat = (0.1 * g) / 0.1, (0.001 * g * g) / (1 - 0.999)
    by_hand = 0.40 - 0.01 * m_hat / (math.sqrt(v_hat) + 1e-8)
    assert bp.check_step("w5", by_hand, net, optimizer="adam", lr=0.01).correct
    assert not bp.check_step("w5", 0.40 - 0.01 * g, net, optimizer="adam", lr=0.01).correct


def test_check_step_judges_the_last_of_several_steps():
    net = bp.load("mazur")
    after = net.train(2, optimizer="adam", lr=0.01).params["w5"]
    assert bp.check_step("w5", after, net, steps=2, optimizer="adam", lr=0.01).correct
    assert not bp.check_step("w5", net.train(1, optimizer="adam", lr=0.01).params["w5"], net, steps=2,
                             optimizer="adam", lr=0.01).correct
