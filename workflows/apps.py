from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = "Workflows"
    default_auto_field = "django.db.models.BigAutoField"

    flow_class = None  # the IIA flow, once the apps are ready (``selectors.task_nodes``)

    def ready(self):
        from . import checks, flows, receivers  # noqa: F401  (system checks; signal receivers)

        self.flow_class = flows.IIAFlow
