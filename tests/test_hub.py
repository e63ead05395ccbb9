"""A course on JupyterHub, run for real on loopback: three learners follow the teacher's link, each gets a
copy of the notebooks in a home of their own, an update keeps a learner's edit, an idle server is culled
and comes back with its files, a hub restart loses nothing, and the playground opens in Voila.

Needs root (the hub makes a system user per learner), the learners' environment and the proxy (make test
builds both) and Debian's Chromium; skips without them unless CI=true."""
import os
import subprocess

import pytest

from support import aio
from support.chromium import CHROMIUM, launch_options
from support.hub import (Hub, Remote, append_to_first_code_cell, home_notebook, hub_missing, log_in, open_course,
                         run_first_code_cell, source_repository, wait_until)

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.npm]

IDLE = 20  # seconds: short, so the culler acts within the test
LEARNERS = ["learner1", "learner2", "learner3"]


def require(problem):
    if not problem:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(problem)
    pytest.skip(problem)


@pytest.fixture(scope="module")
def course_hub():
    require(None if os.access(CHROMIUM, os.X_OK) else f"no browser at {CHROMIUM}")
    require(hub_missing())
    hub = Hub(IDLE)
    repo = source_repository(hub.folder / "source")
    remote = Remote(repo)
    try:
        hub.start()
        yield hub, repo, remote
    finally:
        hub.remove()
        remote.stop()


async def in_browser(steps):
    """Run `steps` with Playwright's asynchronous API (support/hub.py's learner steps are asynchronous)."""
    from playwright.async_api import async_playwright
    async with async_playwright() as p:
        browser = await p.chromium.launch(**launch_options())
        try:
            return await steps(browser)
        finally:
            await browser.close()


def test_course_on_jupyterhub(course_hub):
    """One run through a week of class; each step names what it proves."""
    hub, repo, remote = course_hub
    outputs = {}

    async def three_learners_arrive(browser):
        contexts = []
        for user in LEARNERS:  # each one's page stays open, so no server goes idle before the last arrives
            contexts.append(await browser.new_context())
            page = await log_in(contexts[-1], hub, user)
            await open_course(page, hub, remote)
            outputs[user] = await run_first_code_cell(page)
            if user in ("learner1", "learner3"):
                await append_to_first_code_cell(page, f"# {user} was here")
            if user == "learner2":
                assert hub.running("learner1")
                response = await page.request.get(f"{hub.url}/user/learner1/api/contents/")
                outputs["learner2 at learner1's server"] = response.status
        for context in contexts:
            await context.close()

    aio.run(in_browser(three_learners_arrive))
    # each learner landed on notebook 00 in a copy of their own and ran its first cell on their own kernel
    for user in LEARNERS:
        assert home_notebook(hub, user, remote).exists(), f"{user} has no copy of notebook 00"
        assert "mazur" in outputs[user], f"{user}'s first cell showed {outputs[user]!r}"
    assert "# learner1 was here" in home_notebook(hub, "learner1", remote).read_text()
    assert "learner1 was here" not in home_notebook(hub, "learner2", remote).read_text()
    status = outputs["learner2 at learner1's server"]
    assert status == 403, f"learner 2 reached learner 1's server (status {status})"

    # the teacher pushes a new version; learner 1 follows the link again and keeps the edit
    (repo / "course-news.md").write_text("# Week 2\n\nRead notebook 06 before class.\n")
    subprocess.run(["git", "-C", str(repo), "add", "course-news.md"], check=True)
    subprocess.run(["git", "-C", str(repo), "commit", "-q", "-m", "Week 2 news"], check=True)

    def returns(user):
        async def steps(browser):
            context = await browser.new_context()
            await open_course(await log_in(context, hub, user), hub, remote)
            await context.close()
        return steps

    aio.run(in_browser(returns("learner1")))
    copy = home_notebook(hub, "learner1", remote).parent.parent
    assert (copy / "course-news.md").exists(), "the update did not reach learner 1"
    assert "# learner1 was here" in home_notebook(hub, "learner1", remote).read_text(), "the update lost the edit"

    # learner 3 went quiet: the culler stops the server, the next visit starts it with the files intact
    wait_until(lambda: hub.stopped("learner3"), IDLE * 4, "the idle culler never stopped learner 3's server")

    aio.run(in_browser(returns("learner3")))
    assert hub.running("learner3")
    assert "# learner3 was here" in home_notebook(hub, "learner3", remote).read_text()

    # a restarted hub loses no learner's work, and stopping it leaves no learner's process behind
    left = hub.stop()
    assert left == [], f"the hub left {left} running when it stopped; its log ends:\n{hub.log_tail()}"
    hub.start()
    aio.run(in_browser(returns("learner1")))
    assert "# learner1 was here" in home_notebook(hub, "learner1", remote).read_text()


def test_playground_opens_through_the_hub_in_voila(course_hub):
    from support.pages import example_loss, shown
    hub, repo, remote = course_hub

    async def playground(browser):
        context = await browser.new_context(viewport={"width": 1400, "height": 1000})
        page = await log_in(context, hub, "learner2")
        await open_course(page, hub, remote, app="voila")
        await page.get_by_text(f"E_total = {shown(example_loss())}", exact=True).wait_for(timeout=120_000)
        slider = page.get_by_role("slider", name="weight w5")
        await slider.focus()
        for _ in range(3):
            await page.keyboard.press("ArrowRight")
        expected = f"E_total = {shown(example_loss(w5=0.43))}"
        await page.get_by_text(expected, exact=True).wait_for(timeout=30_000)
        await context.close()

    aio.run(in_browser(playground))
