"""E-screen and touch-screen modes, and the printed bulletin notice."""

app_name = "screens"

urlpatterns: list = []
