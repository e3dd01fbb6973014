import resource

from django.core.management.base import BaseCommand, CommandError

from reports.models import AgendaPack, Meeting
from reports.services import pack_build


class Command(BaseCommand):
    help = "Build a meeting's agenda pack (cover, agenda with page numbers, reports and their signed appendices)."

    def add_arguments(self, parser):
        parser.add_argument("meeting_id", type=int)
        parser.add_argument("--output", required=True, help="File to write the pack to.")

    def handle(self, *args, meeting_id, output, **options):
        try:
            meeting = Meeting.objects.select_related("committee").get(pk=meeting_id)
        except Meeting.DoesNotExist:
            raise CommandError(f"No meeting {meeting_id}.")
        AgendaPack.objects.get_or_create(meeting=meeting)
        pack = pack_build(meeting_id=meeting.pk)
        with open(output, "wb") as handle:
            handle.write(bytes(pack.pdf))
        peak = _peak_memory_mib()
        self.stdout.write(f"Wrote the agenda pack of {meeting.title} to {output}: {pack.pages} pages, "
                          f"{pack.size} bytes; items start on pages {pack.item_pages}; peak memory {peak:.0f} MiB.")


def _peak_memory_mib() -> float:
    """This program's peak resident memory. /proc's VmHWM starts afresh at exec, unlike
    ru_maxrss, which counts the parent's pages when the process was forked."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
