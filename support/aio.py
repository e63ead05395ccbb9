"""asyncio.run for the tests' asynchronous steps (a room of learners, a hub's kernel over its websocket)."""
import asyncio
from concurrent.futures import ThreadPoolExecutor


def run(coroutine):
    """asyncio.run in a thread of its own: once pytest-playwright has started its browser, the test's own thread
    has an event loop that counts as running, and asyncio.run there refuses to start."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
