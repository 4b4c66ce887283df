from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "masa.web.workflow"
    label = "workflow"
    verbose_name = "Return workflow, queries, deadlines and report builds"
