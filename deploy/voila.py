# Voila's configuration for `make app`: the playground for a room of learners on one machine.
# Voila reads this file when started with --Voila.config_file_paths=deploy (as the Makefile does).
c = get_config()  # noqa: F821 (defined by traitlets when it reads this file)

# Each learner gets a kernel that has already run the notebook; the Makefile sets how many wait
# (--pool_size=LEARNERS, i.e. VoilaConfiguration.default_pool_size), all started with the server.
c.VoilaConfiguration.preheat_kernel = True
# A taken kernel is replaced after this many seconds, so that refilling does not compete with a room that has
# just arrived for the machine's cores.
c.VoilaKernelManager.fill_delay = 20

# A learner's kernel lives while their page is open; once the page is gone (no connection) and the kernel has
# been idle for 10 minutes, it is shut down, so a room that comes and goes does not use up the memory.
# Voila never culls the kernels waiting in its pool, so the pool stays full.
c.MappingKernelManager.cull_idle_timeout = 600
c.MappingKernelManager.cull_interval = 60
c.MappingKernelManager.cull_connected = False

# Only the playground: no file is served beside it (not even images), and no traceback reaches the page.
c.VoilaConfiguration.file_allowlist = []
c.VoilaConfiguration.show_tracebacks = False
# The page loads only the front ends its widgets need (ipywidgets and anywidget), not every JupyterLab extension
# installed beside them: less JavaScript for each learner's browser to fetch and compile.
c.VoilaConfiguration.extension_allowlist = ["@voila-dashboards/widgets-manager8",
                                            "@jupyter-widgets/jupyterlab-manager", "anywidget"]
