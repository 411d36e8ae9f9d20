app_name = "harmony"

urlpatterns: list = []
