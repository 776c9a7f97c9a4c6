"""Pages of the street-office layer, one module per audience and sub-domain: the street office's own
pages on the base domain (``dashboard``, ``spot_checks``, ``rectifications``, ``surveys``,
``assessments``, ``evaluations``, routed by ``inspection.urls``), the community's side on its
sub-domain (``community``, routed by ``inspection.urls_community``) and public voting (``voting``)."""
