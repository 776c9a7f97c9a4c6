from django.urls import path

from finder import views

app_name = "finder"

urlpatterns = [
    path("synonyms/", views.synonyms, name="synonyms"),
]
