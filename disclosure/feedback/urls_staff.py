app_name = "feedback_staff"

urlpatterns: list = []
