"""Read views shared by every page kind; a kind only supplies its model and templates."""

from django.views.generic import DetailView, ListView


class PageListView(ListView):
    paginate_by = 24
    template_name = "wiki/page_list.html"

    def get_queryset(self):
        return self.model.objects.for_list()

    def get_context_data(self, **kwargs) -> dict:
        meta = self.model._meta
        return super().get_context_data(
            kind_label=self.model.kind_label(),
            card_template=f"{meta.app_label}/{meta.model_name}_card.html",
            **kwargs,
        )


class PageDetailView(DetailView):
    def get_queryset(self):
        return self.model.objects.for_page()
